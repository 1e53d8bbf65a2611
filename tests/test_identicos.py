"""What is done once per process or kept between runs (issue 18) changes no output: an acta laid out in a fresh
process is byte for byte the one laid out in a batch after others, and records parsed through the cache of parsed
records (`records.load(…, cache=…)`) give the same values and the same site as records parsed cold. The cache is
keyed by content, never by date."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from builders import celebrar
from pipeline import batch, publish, records
from pipeline.cli import main

STL = str(Path(sys.executable).parent / "stl")


def _huellas(carpeta: Path) -> dict[str, str]:
    carpeta = carpeta.resolve()
    return {
        str(p.relative_to(carpeta)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(carpeta.rglob("*"))
        if p.is_file()
    }


def test_an_acta_alone_in_a_fresh_process_is_the_same_bytes_as_in_a_batch_after_others(tree, tmp_path):
    for sesion, fecha in (("V-2020", "2020-12-15"), ("VI-2021", "2021-01-19")):
        creada = CliRunner().invoke(
            main, ["--registros", str(tree), "nueva-sesion", sesion, "--fecha", fecha, "--hora", "10:00"]
        )
        assert creada.exit_code == 0, creada.output
        convocada = CliRunner().invoke(
            main,
            [
                "--registros",
                str(tree),
                "--salida",
                str(tmp_path / "oficios"),
                "convocatoria",
                sesion,
                "--formato",
                "docx",
            ],
        )
        assert convocada.exit_code == 0, convocada.output  # the acta cites the oficio
        celebrar(tree, sesion)
    sola = [
        STL,
        "--registros",
        str(tree),
        "--salida",
        str(tmp_path / "sola"),
        "acta",
        "IV-2020",
        "--formato",
        "pdf",
    ]
    resultado = subprocess.run(sola, capture_output=True, text=True)  # its own process, the press in a second
    assert resultado.returncode == 0, resultado.stderr
    # One worker process laying out the other two actas first, with its fonts, styles and caches warm.
    hechas = list(batch.actas(tree, ["V-2020", "VI-2021", "IV-2020"], tmp_path / "lote", "pdf", procesos=1))
    assert [s for s, _ in hechas] == ["V-2020", "VI-2021", "IV-2020"]
    for nombre in ("acta-IV-2020.pdf", "acta-IV-2020.firmas.json"):
        assert (tmp_path / "sola/IV-2020" / nombre).read_bytes() == (
            tmp_path / "lote/IV-2020" / nombre
        ).read_bytes()


def test_records_through_the_cache_are_the_records_parsed_cold(tree, tmp_path):
    cache = tmp_path / "salida/.cache"
    fria = records.load(tree)
    assert records.load(tree, cache=cache) == fria  # fills the cache
    assert (cache / "registros.marshal").is_file() and (cache / ".gitignore").read_text() == "*\n"
    assert records.load(tree, cache=cache) == fria  # read from it


def test_the_cache_never_holds_the_members_private_data(tree, tmp_path):
    cache = tmp_path / "salida/.cache"
    records.load(tree, cache=cache)
    privado = (tree / "stl.yaml").read_text("utf-8").split("privado:", 1)
    contenido = (cache / "registros.marshal").read_bytes()
    assert len(privado) == 2 and b"privado" not in contenido
    assert "Zulema Martínez Sánchez".encode() not in contenido  # stl.yaml is not cached at all


def test_a_record_changed_with_its_date_kept_is_read_anew(tree, tmp_path):
    """Keyed by the SHA-256 of the bytes: a file changed within the same second, or with its date put back, is
    still a different file."""
    cache = tmp_path / "salida/.cache"
    records.load(tree, cache=cache)
    sesion = tree / "sesiones/IV-2020.yaml"
    fecha = sesion.stat()
    texto = sesion.read_text("utf-8")
    assert 'hora_cierre: "14:31"' in texto
    sesion.write_text(texto.replace('hora_cierre: "14:31"', 'hora_cierre: "14:35"'), "utf-8")
    os.utime(sesion, ns=(fecha.st_atime_ns, fecha.st_mtime_ns))
    cambiada = next(s for s in records.load(tree, cache=cache).sesiones if s.id == "IV-2020")
    assert cambiada.hora_cierre.strftime("%H:%M") == "14:35"
    assert records.load(tree, cache=cache) == records.load(tree)


def test_a_damaged_cache_is_as_if_empty(tree, tmp_path):
    cache = tmp_path / "salida/.cache"
    records.load(tree, cache=cache)
    archivo = cache / "registros.marshal"
    datos = bytearray(archivo.read_bytes())
    datos[len(datos) // 2] ^= 0xFF
    archivo.write_bytes(bytes(datos))
    assert records.load(tree, cache=cache) == records.load(tree)
    archivo.write_bytes(b"")
    assert records.load(tree, cache=cache) == records.load(tree)


def test_a_forged_cache_cannot_change_what_a_record_says(tree, tmp_path):
    """Whoever can write in the outputs folder (not in the user's own cache folder, where the key is) cannot
    make stl read other content for a record: a cache file rewritten with its plain SHA-256 is refused."""
    import hashlib
    import marshal

    cache = tmp_path / "salida/.cache"
    records.load(tree, cache=cache)
    archivo = cache / "registros.marshal"
    entradas = marshal.loads(archivo.read_bytes()[32:])
    falsas, cambiadas = {}, 0
    for clave, entrada in entradas.items():
        data, lines = marshal.loads(entrada)
        if isinstance(data, dict) and data.get("hora_cierre") == "14:31":  # IV-2020
            data, cambiadas = {**data, "hora_cierre": "23:59"}, cambiadas + 1
        falsas[clave] = marshal.dumps((data, lines))
    assert cambiadas == 1
    contenido = marshal.dumps(falsas)
    archivo.write_bytes(hashlib.sha256(contenido).digest() + contenido)
    assert records.load(tree, cache=cache).sesion("IV-2020").hora_cierre.strftime("%H:%M") == "14:31"
    clave = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "actas-stl/clave-registros"
    assert clave.stat().st_mode & 0o777 == 0o600


def test_a_site_from_the_cache_is_the_site_built_cold(tree, tmp_path):
    cache = tmp_path / "salida/.cache"
    records.load(tree, cache=cache)
    (tmp_path / "archivo").mkdir()
    fria = publish.publicar(records.load(tree), tmp_path / "archivo", tmp_path / "fria", buscar=False)
    con_cache = publish.publicar(
        records.load(tree, cache=cache), tmp_path / "archivo", tmp_path / "con-cache", buscar=False
    )
    assert con_cache == fria
    assert _huellas(tmp_path / "con-cache") == _huellas(tmp_path / "fria")


SOLO = """
import sys
from pathlib import Path
from pipeline import imprenta
html = Path(sys.argv[2])  # the only document of this process: its style sheets parsed for it alone
html.with_suffix(".pdf").write_bytes(imprenta.pdf(html.read_text("utf-8"), Path(sys.argv[1]))[0])
"""


def test_the_linked_style_sheets_are_parsed_once_per_process_and_change_no_byte(tree, tmp_path, monkeypatch):
    """A worker of the batch and the preview parse base.css, acta.css and oficio.css once, not for every document
    (WeasyPrint would); what they lay out after other documents is byte for byte what a process laying out that
    document alone makes."""
    import tinycss2

    from pipeline import imprenta, render, rules

    registro = records.load(tree)
    documentos = {
        "acta": render.acta(registro, rules.dictaminar(registro, "IV-2020")),
        "minuta": render.minuta(registro, registro.reunion("RT-2020-11-24")),
        "convocatoria": render.convocatoria(registro, registro.sesion("IV-2020"), "STL/004/2020"),
    }
    html = {nombre: render.html(doc) for nombre, doc in documentos.items()}
    base = render.TEMPLATES / "pdf"
    for texto in html.values():  # every linked sheet seen once
        imprenta.pdf(texto, base)
    analizadas = []
    original = tinycss2.parse_stylesheet_bytes
    monkeypatch.setattr(
        tinycss2, "parse_stylesheet_bytes", lambda *a, **k: analizadas.append(1) or original(*a, **k)
    )
    propios = {nombre: imprenta.pdf(texto, base)[0] for nombre, texto in html.items()}
    assert analizadas == [], "a linked style sheet was parsed again for another document"
    for nombre, texto in html.items():
        (tmp_path / f"{nombre}.html").write_text(texto, "utf-8")
        solo = subprocess.run(
            [sys.executable, "-c", SOLO, str(base), str(tmp_path / f"{nombre}.html")],
            capture_output=True,
            text=True,
        )
        assert solo.returncode == 0, solo.stderr
        assert propios[nombre] == (tmp_path / f"{nombre}.pdf").read_bytes(), nombre
