"""The shape of the code, checked: no import cycle among pipeline's modules (at import time or through a
function-level import), no function over 80 lines, and one approval freeze on every path that makes an acta."""

from __future__ import annotations

import ast
import datetime as dt
import shutil
from pathlib import Path

from click.testing import CliRunner

from builders import ROOT
from pipeline import pki_demo, preview
from pipeline.cli import main

PAQUETE = ROOT / "pipeline"
MAXIMO = 80


def _modulo(path: Path) -> str:
    partes = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(partes[:-1] if partes[-1] == "__init__" else partes)


def _modulos() -> dict[str, Path]:
    return {_modulo(p): p for p in PAQUETE.rglob("*.py") if "templates" not in p.parts}


def _importados(nombre: str, path: Path, modulos: dict[str, Path]) -> set[str]:
    """Every pipeline module `nombre` imports, anywhere in its body (functions included)."""
    paquete = nombre if path.name == "__init__.py" else nombre.rpartition(".")[0]
    vistos = set()
    for nodo in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(nodo, ast.Import):
            vistos |= {a.name for a in nodo.names}
        elif isinstance(nodo, ast.ImportFrom):
            base = paquete
            for _ in range(nodo.level - 1):
                base = base.rpartition(".")[0]
            raiz = (
                f"{base}.{nodo.module}"
                if nodo.level and nodo.module
                else (base if nodo.level else nodo.module)
            )
            vistos.add(raiz)
            vistos |= {f"{raiz}.{a.name}" for a in nodo.names}
    return {m for m in vistos if m in modulos and m != nombre}


def _ciclos(grafo: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    indice, bajo, pila, en_pila, ciclos = {}, {}, [], set(), []

    def visitar(v: str) -> None:
        indice[v] = bajo[v] = len(indice)
        pila.append(v)
        en_pila.add(v)
        for w in grafo[v]:
            if w not in indice:
                visitar(w)
                bajo[v] = min(bajo[v], bajo[w])
            elif w in en_pila:
                bajo[v] = min(bajo[v], indice[w])
        if bajo[v] == indice[v]:
            componente = []
            while True:
                w = pila.pop()
                en_pila.discard(w)
                componente.append(w)
                if w == v:
                    break
            if len(componente) > 1:
                ciclos.append(sorted(componente))

    for v in sorted(grafo):
        if v not in indice:
            visitar(v)
    return ciclos


def test_no_import_cycle_among_pipeline_modules_even_through_functions():
    modulos = _modulos()
    grafo = {n: _importados(n, p, modulos) for n, p in modulos.items()}
    # The package's own __init__ imports of its submodules are how a package is built, not a cycle.
    for n in grafo:
        grafo[n] = {m for m in grafo[n] if not n.startswith(m + ".")}
    assert _ciclos(grafo) == []


def test_the_checker_sees_a_cycle_through_a_function_level_import(tmp_path):
    a = tmp_path / "pipeline" / "a.py"
    a.parent.mkdir()
    a.write_text("from . import b\n")
    b = a.with_name("b.py")
    b.write_text("def f():\n    from .a import x\n")
    modulos = {"pipeline.a": a, "pipeline.b": b}
    grafo = {n: _importados(n, p, modulos) for n, p in modulos.items()}
    assert _ciclos(grafo) == [["pipeline.a", "pipeline.b"]]


def test_no_function_in_pipeline_is_over_80_lines():
    largas = []
    for nombre, path in _modulos().items():
        for nodo in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(nodo, ast.FunctionDef | ast.AsyncFunctionDef):
                lineas = nodo.end_lineno - nodo.lineno + 1
                if lineas > MAXIMO:
                    largas.append(f"{nombre}.{nodo.name}: {lineas} líneas")
    assert largas == []


def test_the_entry_point_lives_with_the_cli_not_at_the_bottom_of_the_graph():
    modulos = _modulos()
    for bajo in ("pipeline.paquete", "pipeline.errors", "pipeline.files", "pipeline.models"):
        assert not any(m.startswith("pipeline.cli") for m in _importados(bajo, modulos[bajo], modulos)), bajo
    texto = (ROOT / "pyproject.toml").read_text("utf-8")
    assert 'stl = "pipeline.__main__:main"' in texto


def _stl(tree: Path, salida: Path, *args: str):
    return CliRunner().invoke(main, ["--registros", str(tree), "--salida", str(salida), *args])


def test_the_batch_the_preview_and_the_single_acta_apply_the_same_freeze(tree, tmp_path):
    """After an approved record is edited, `stl acta S`, `stl acta --todas` and the preview all warn, and
    `preparar-firma` refuses: one freeze (`aprobaciones.vigilar`) on every path."""
    salida = tmp_path / "salida"
    sesion = tree / "sesiones/IV-2020.yaml"
    with sesion.open("a", encoding="utf-8") as handle:
        handle.write('aprobacion: {fecha: "2020-12-01", fundamento: "Aprobación de prueba"}\n')
    primera = _stl(tree, salida, "acta", "IV-2020", "--formato", "pdf")
    assert primera.exit_code == 0, primera.output
    assert "Texto aprobado del acta de IV-2020 registrado" in primera.output
    frase = "solicitó exponer este eje al Comisionado del Infoem"
    assert frase in sesion.read_text("utf-8")
    sesion.write_text(sesion.read_text("utf-8").replace(frase, "pidió otra cosa"), "utf-8")
    aviso = "ya no es el texto aprobado"

    una = _stl(tree, salida, "acta", "IV-2020", "--formato", "pdf")
    assert una.exit_code == 0 and aviso in una.output and "cambió punto IV" in una.output, una.output
    otra_vez = _stl(tree, salida, "acta", "IV-2020", "--formato", "pdf")  # not remade: the warning stays
    assert otra_vez.exit_code == 0 and aviso in otra_vez.output, otra_vez.output
    lote = _stl(tree, tmp_path / "lote", "acta", "--todas", "--formato", "pdf")
    assert lote.exit_code == 0 and aviso in lote.output and "cambió punto IV" in lote.output, lote.output
    vista = preview.Vista(tree, "IV-2020").pagina()
    assert aviso in vista and "cambió punto IV" in vista
    assert "sesion: IV-2020" in (tree / "aprobaciones.yaml").read_text("utf-8")

    pki_demo.generar(tmp_path / "claves", [("funes", "Rafael Funes Díaz")], "demo", dt.datetime.now(dt.UTC))
    firma = CliRunner(env={"STL_CONTRASENA": "demo"}).invoke(
        main,
        [
            *["--registros", str(tree), "--firmas", str(tmp_path / "firmas")],
            "preparar-firma",
            "IV-2020",
            "--p12",
            str(tmp_path / "claves/funes.p12"),
        ],
    )
    assert firma.exit_code == 1 and aviso in firma.output and "cambió punto IV" in firma.output, firma.output
    assert not (tmp_path / "firmas/IV-2020").exists() or not any((tmp_path / "firmas/IV-2020").iterdir())


def test_an_invalid_record_of_another_session_is_a_warning_not_a_false_error(tree, tmp_path):
    """A date written 25/12/2026 in one session does not stop the acta of another, and nothing says the broken
    session does not exist; `stl validar` still fails on it."""
    roto = tree / "sesiones/2019-11-11.yaml"
    texto = roto.read_text("utf-8")
    fecha = next(linea for linea in texto.splitlines() if linea.startswith("fecha:"))
    roto.write_text(texto.replace(fecha, 'fecha: "25/12/2026"'), "utf-8")
    result = _stl(tree, tmp_path / "salida", "acta", "IV-2020", "--formato", "pdf")
    assert result.exit_code == 0, result.output
    assert "2019-11-11.yaml" in result.output and "no impide este comando" in result.output
    assert "no hay registro" not in result.output
    validar = _stl(tree, tmp_path / "salida", "validar", "IV-2020")
    assert (
        validar.exit_code == 1
        and "2019-11-11.yaml" in validar.output
        and "no hay registro" not in validar.output
    )


def test_stl_yaml_is_found_from_inside_the_records_folder_and_its_subfolders(tree, monkeypatch):
    monkeypatch.delenv("STL_REGISTROS", raising=False)
    monkeypatch.chdir(tree / "sesiones")
    result = CliRunner().invoke(main, ["validar", "IV-2020"])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tree.parent)
    (tree.parent / "vacia").mkdir()
    monkeypatch.chdir(tree.parent / "vacia")
    perdido = CliRunner().invoke(main, ["validar", "IV-2020"])
    assert perdido.exit_code == 1
    assert "--registros" in perdido.output and "STL_REGISTROS" in perdido.output


def test_a_broken_session_that_the_acta_needs_is_its_own_error_not_a_traceback(tree, tmp_path):
    """IV-2020 approves the acta of III-2020: a broken III-2020 stops IV-2020's acta with III-2020's own error."""
    roto = tree / "sesiones/III-2020.yaml"
    texto = roto.read_text("utf-8")
    fecha = next(linea for linea in texto.splitlines() if linea.startswith("fecha:"))
    roto.write_text(texto.replace(fecha, 'fecha: "25/12/2026"'), "utf-8")
    result = _stl(tree, tmp_path / "salida", "acta", "IV-2020", "--formato", "pdf")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit | None), result.exception
    assert (
        "III-2020.yaml" in result.output
        and "fecha" in result.output
        and "no hay registro" not in result.output
    )


def _aprobada(tree: Path) -> None:
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write('aprobacion: {fecha: "2020-12-01", fundamento: "Aprobación de prueba"}\n')


def _preparar(tree: Path, tmp_path: Path, archivo: Path, env: dict | None = None):
    if not (tmp_path / "claves/funes.p12").is_file():
        pki_demo.generar(
            tmp_path / "claves", [("funes", "Rafael Funes Díaz")], "demo", dt.datetime.now(dt.UTC)
        )
    args = ["--registros", str(tree), "--firmas", str(tmp_path / "firmas"), "--archivo", str(archivo)]
    return CliRunner(env={"STL_CONTRASENA": "demo", **(env or {})}).invoke(
        main, [*args, "preparar-firma", "IV-2020", "--p12", str(tmp_path / "claves/funes.p12")]
    )


def test_templates_that_rewrite_the_approved_acta_are_refused(tree, tmp_path):
    """A copy of the templates (STL_PLANTILLAS) whose acta.html rewrites every acuerdo: the approved text covers
    what draws it, so preparing it for signature is refused and nothing is prepared."""
    _aprobada(tree)
    archivo = tmp_path / "archivo"
    primera = _stl(
        tree, tmp_path / "salida", "--archivo", str(archivo), "acta", "IV-2020", "--formato", "pdf"
    )
    assert primera.exit_code == 0 and "Texto aprobado" in primera.output, primera.output
    plantillas = tmp_path / "plantillas"
    shutil.copytree(ROOT / "templates", plantillas)
    acta = plantillas / "pdf/acta.html"
    acta.write_text(
        acta.read_text("utf-8").replace("{{ b.texto }}", "Por el que se RECHAZA por mayoría."), "utf-8"
    )
    firma = _preparar(tree, tmp_path, archivo, {"STL_PLANTILLAS": str(plantillas)})
    assert firma.exit_code == 1, firma.output
    assert "ya no es el texto aprobado" in firma.output and "plantillas, perfil y fuentes" in firma.output
    assert not (tmp_path / "firmas/IV-2020").exists() or not any((tmp_path / "firmas/IV-2020").iterdir())
    assert _preparar(tree, tmp_path, archivo).exit_code == 0  # the real templates: prepared


def test_deleting_aprobaciones_yaml_does_not_make_an_edited_record_the_approved_text(tree, tmp_path):
    """The approved text is anchored in the append-only archive when it is first recorded: with aprobaciones.yaml
    deleted and the record edited, `stl acta` warns, `preparar-firma` and `archivar` refuse."""
    _aprobada(tree)
    archivo, salida = tmp_path / "archivo", tmp_path / "salida"
    assert _stl(tree, salida, "--archivo", str(archivo), "acta", "IV-2020", "--formato", "pdf").exit_code == 0
    assert (archivo / "aprobaciones/IV-2020.json").is_file()
    (tree / "aprobaciones.yaml").unlink()
    sesion = tree / "sesiones/IV-2020.yaml"
    frase = "solicitó exponer este eje al Comisionado del Infoem"
    sesion.write_text(sesion.read_text("utf-8").replace(frase, "pidió otra cosa"), "utf-8")
    acta = _stl(tree, salida, "--archivo", str(archivo), "acta", "IV-2020", "--formato", "pdf")
    assert acta.exit_code == 0 and "ya no es el texto aprobado" in acta.output, acta.output
    firma = _preparar(tree, tmp_path, archivo)
    assert firma.exit_code == 1 and "aprobaciones/IV-2020.json" in firma.output, firma.output
    archivar = CliRunner().invoke(
        main,
        [
            "--registros",
            str(tree),
            "--firmas",
            str(tmp_path / "firmas"),
            "--archivo",
            str(archivo),
            "archivar",
            "IV-2020",
            "--sin-firma",
        ],
    )
    assert archivar.exit_code == 1 and "ya no es el texto aprobado" in archivar.output, archivar.output


def test_an_oversized_intervention_is_one_error_where_it_is(tree, tmp_path):
    """A 10 MB intervention is refused with its file, line and field, and nothing else: the records that name
    the session (folios.yaml, the sessions after it) get no false «no hay registro de la sesión»."""
    sesion = tree / "sesiones/IV-2020.yaml"
    texto = sesion.read_text("utf-8")
    frase = "solicitó exponer este eje"
    sesion.write_text(texto.replace(frase, "x" * (10 * 1024 * 1024) + frase, 1), "utf-8")
    result = _stl(tree, tmp_path / "salida", "validar", "IV-2020")
    assert result.exit_code == 1
    assert "Errores en los registros (1):" in result.output, result.output[:2000]
    assert "sesiones/IV-2020.yaml:" in result.output and "es demasiado largo" in result.output
    assert "no hay registro" not in result.output
