"""The site as a whole: each run builds a version beside the site and switches a link to it; unchanged pages are
the same files (hard links), the build state is never published, and the site may not overlap the records, the
archive or the other folders."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import publish, records
from pipeline.cli import main


def _stl(tree: Path, *args: str):
    base = tree.parent
    carpetas = ["--registros", str(tree), "--archivo", f"{base}/archivo", "--salida", f"{base}/salida"]
    return CliRunner().invoke(main, [*carpetas, "--firmas", f"{base}/firmas", *args])


def _huellas(carpeta: Path) -> dict[str, str]:
    return {
        str(p.relative_to(carpeta)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(carpeta.rglob("*"))
        if p.is_file()
    }


def test_unchanged_pages_are_the_same_files_and_only_changed_ones_are_rendered(tree, tmp_path):
    sitio = tmp_path / "sitio"
    primero = publish.publicar(records.load(tree), tmp_path / "archivo", sitio, buscar=False)
    assert sitio.is_symlink() and sitio.resolve().parent == publish.versiones(sitio).resolve()
    inodos = {str(p.relative_to(sitio)): p.stat().st_ino for p in sitio.rglob("*.html")}
    stl = tree / "stl.yaml"
    stl.write_text(stl.read_text("utf-8").replace("Zulema Martínez Sánchez", "Zulema Martínez S."), "utf-8")
    segundo = publish.publicar(records.load(tree), tmp_path / "archivo", sitio, buscar=False)
    assert "secretariado/index.html" in segundo.paginas and "ligas/index.html" not in segundo.paginas
    assert segundo.omitidas == len(primero.paginas) - len(segundo.paginas) > 0
    for ruta, inodo in inodos.items():  # an unchanged page is the very same file, linked into the new version
        assert ((sitio / ruta).stat().st_ino == inodo) is (ruta not in segundo.paginas), ruta
    assert "Zulema Martínez S." in (sitio / "secretariado/index.html").read_text("utf-8")
    versiones = publish.versiones(sitio)
    assert sorted(p.name for p in versiones.iterdir()) == sorted(
        [".bloqueo", sitio.resolve().name, f"{sitio.resolve().name}.json"]
    )
    assert set(json.loads((versiones / f"{sitio.resolve().name}.json").read_text("utf-8"))) == set(
        primero.paginas
    )
    assert not [p for p in sitio.rglob(".*")], (
        "nada oculto en el sitio publicado (ni el estado de la construcción)"
    )


def test_a_site_an_earlier_version_published_in_place_becomes_the_link(tree, tmp_path):
    sitio = tmp_path / "sitio"
    publish.publicar(records.load(tree), tmp_path / "archivo", sitio, buscar=False)
    en_su_lugar = tmp_path / "en-su-lugar"
    en_su_lugar.mkdir()
    for ruta in _huellas(sitio):  # as the earlier version left it: the files, and its state in the site
        (en_su_lugar / ruta).parent.mkdir(parents=True, exist_ok=True)
        (en_su_lugar / ruta).write_bytes((sitio / ruta).read_bytes())
    estado = json.loads(next(publish.versiones(sitio).glob("v*.json")).read_text("utf-8"))
    (en_su_lugar / ".estado.json").write_text(json.dumps(estado), "utf-8")
    resultado = publish.publicar(records.load(tree), tmp_path / "archivo", en_su_lugar, buscar=False)
    assert resultado.paginas == () and resultado.omitidas == len(estado)
    assert en_su_lugar.is_symlink()
    assert _huellas(en_su_lugar) == _huellas(sitio)
    assert [p.name for p in publish.versiones(en_su_lugar).iterdir() if p.is_dir()] == [
        en_su_lugar.resolve().name
    ]


@pytest.mark.parametrize(
    ("sitio", "dice"),
    [
        ("archivo", "queda dentro de la carpeta de archivo"),
        ("archivo/sitio", "queda dentro de la carpeta de archivo"),
        ("records/sitio", "queda dentro de la carpeta de registros"),
        ("salida/IV-2020", "queda dentro de la carpeta de salida"),
        (".", "contiene la carpeta de registros"),
    ],
)
def test_a_site_inside_the_archive_or_the_records_or_holding_them_is_refused(tree, sitio, dice, monkeypatch):
    base = tree.parent
    assert _stl(tree, "archivar", "IV-2020", "--sin-firma").exit_code == 0
    antes = _huellas(base)
    monkeypatch.chdir(base)
    result = _stl(tree, "publicar", "--sitio", sitio, "--sin-busqueda")
    assert result.exit_code == 1, result.output
    assert dice in result.output and "No se escribió nada" in result.output, result.output
    assert "Traceback" not in result.output
    assert _huellas(base) == antes


def test_acta_into_a_symlinked_session_folder_is_refused(tree, tmp_path):
    fuera = tmp_path / "fuera"
    fuera.mkdir()
    (tmp_path / "salida").mkdir()
    (tmp_path / "salida/IV-2020").symlink_to(fuera)
    for args in (["acta", "IV-2020"], ["acta", "--todas"], ["orden", "IV-2020"]):
        result = _stl(tree, *args)
        assert result.exit_code == 1, result.output
        assert "es un enlace simbólico" in result.output and "No se escribió nada" in result.output, (
            result.output
        )
    assert list(fuera.iterdir()) == []


def test_a_folder_that_is_not_a_published_site_is_never_replaced(tree, tmp_path):
    carpeta = tmp_path / "mis-documentos"
    carpeta.mkdir()
    (carpeta / "nota.txt").write_text("no es un sitio", "utf-8")
    result = _stl(tree, "publicar", "--sitio", str(carpeta), "--sin-busqueda")
    assert result.exit_code == 1 and "no es un sitio publicado" in result.output, result.output
    assert not carpeta.is_symlink() and (carpeta / "nota.txt").read_text("utf-8") == "no es un sitio"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mis-documentos", "records"]


def _indice(sitio: Path) -> dict[str, int]:
    """The parts of the search index and each one's pages (what Pagefind says it indexed), by folder."""
    return {
        str(p.parent.relative_to(sitio)): json.loads(p.read_text("utf-8"))["languages"]["es"]["page_count"]
        for p in (sitio / "pagefind").rglob("pagefind-entry.json")
    }


def test_a_change_indexes_again_only_the_part_of_its_year(tree, tmp_path):
    """The search index is in parts: the general pages (pagefind/) and each year's sessions and meetings
    (pagefind/AAAA/). After a session's record changes, the other year's part is the very same files; without
    search the parts stay as they are, and the next run with search indexes again the one that went stale."""
    sitio, archivo = tmp_path / "sitio", tmp_path / "archivo"
    publish.publicar(records.load(tree), archivo, sitio)
    # 2019: INST-2019 and the partial record of 2019-11-11; 2020: III-2020, IV-2020 and RT-2020-11-24.
    assert _indice(sitio) == {"pagefind": 8, "pagefind/2019": 2, "pagefind/2020": 3}
    assert not list((sitio / "pagefind/2019").glob("*.js")), "a merged part is its index alone"

    def inodos() -> dict[str, int]:
        return {
            str(p.relative_to(sitio)): p.stat().st_ino for p in (sitio / "pagefind").rglob("*") if p.is_file()
        }

    antes = inodos()
    registro = tree / "sesiones/IV-2020.yaml"
    registro.write_text(registro.read_text("utf-8").replace("abonaría", "contribuiría"), "utf-8")
    segundo = publish.publicar(records.load(tree), archivo, sitio)
    assert "sesiones/IV-2020.html" in segundo.paginas
    despues = inodos()
    for ruta, inodo in antes.items():
        if ruta.startswith("pagefind/2019/"):
            assert despues[ruta] == inodo, ruta  # not indexed again: linked from the previous version
    nuevos = set(despues) - set(antes)
    assert any(r.startswith("pagefind/2020/") for r in nuevos), "the part of 2020 is indexed again"

    registro.write_text(registro.read_text("utf-8").replace("contribuiría", "abonaría"), "utf-8")
    publish.publicar(records.load(tree), archivo, sitio, buscar=False)
    sin_busqueda = inodos()
    assert sin_busqueda == despues, "without search the index stays as it was"
    # No page changed since, but the part of 2020 is stale: indexed again.
    publish.publicar(records.load(tree), archivo, sitio)
    final = inodos()
    assert all(final[r] == sin_busqueda[r] for r in sin_busqueda if r.startswith("pagefind/2019/"))
    assert any(r.startswith("pagefind/2020/") and r not in sin_busqueda for r in final)


def _pagina(sitio: Path, sesion: str) -> str:
    return (sitio / f"sesiones/{sesion}.html").read_text("utf-8")


def test_a_draft_acta_can_be_left_off_the_site(tree, tmp_path):
    """«proyectos: ocultos»: of an acta neither approved nor signed the site says only that it is pending; its PDF
    archived «sin firma» is not published, nor listed in the open data or the Atom feed."""
    assert _stl(tree, "archivar", "IV-2020", "--sin-firma").exit_code == 0
    stl = tree / "stl.yaml"
    stl.write_text(stl.read_text("utf-8").replace("sitio:\n", "sitio:\n  proyectos: ocultos\n", 1), "utf-8")
    sitio = tmp_path / "sitio"
    publish.publicar(records.load(tree), tmp_path / "archivo", sitio, buscar=False)
    pagina = _pagina(sitio, "IV-2020")
    assert "Proyecto de acta — pendiente de aprobación" in pagina
    assert "El acta de esta sesión está pendiente de aprobación" in pagina
    assert "Texto del acta" not in pagina and "Cultura del Gobierno Abierto por parte" not in pagina
    assert not (sitio / "documentos/IV-2020/acta-IV-2020.pdf").exists()
    assert (sitio / "documentos/IV-2020/orden-IV-2020.pdf").is_file()
    documentos = json.loads((sitio / "datos/documentos.json").read_text("utf-8"))
    assert {d["documento"] for d in documentos if d["sesion"] == "IV-2020"} == {"convocatoria", "orden"}
    assert "acta-IV-2020" not in (sitio / "feed.xml").read_text("utf-8")


def test_a_zacatecas_draft_is_a_proyecto_de_minuta(tmp_path):
    """The profile names the document: in Zacatecas a session leaves a minuta, and its draft is a «Proyecto de
    minuta»; approved, its text is «Texto de la minuta»."""
    import shutil

    tree = tmp_path / "zacatecas"
    shutil.copytree(Path(__file__).resolve().parent.parent / "records-ejemplos/zacatecas", tree)
    sitio = tmp_path / "sitio"
    publish.publicar(records.load(tree), tmp_path / "archivo", sitio, buscar=False)
    assert "Texto de la minuta" in _pagina(sitio, "I-2021")
    sesion = tree / "sesiones/I-2021.yaml"
    texto = sesion.read_text("utf-8")
    aprobacion = 'aprobacion:\n  fecha: "2021-03-17"\n  fundamento: aprobada y firmada al término de la sesión (001 Art. 7.5)\n'
    assert aprobacion in texto
    sesion.write_text(texto.replace(aprobacion, ""), "utf-8")
    publish.publicar(records.load(tree), tmp_path / "archivo", sitio, buscar=False)
    pagina = _pagina(sitio, "I-2021")
    assert "Proyecto de minuta — pendiente de aprobación" in pagina and "Texto de la minuta" not in pagina
