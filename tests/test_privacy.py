"""Privacy: nothing private reaches the public site, the open data or the public documents (the órgano garante
is the data-protection authority). Canary values are planted in every private field of the example records (the
four the schema names and one of a member's own); every built file is scanned — text files as they are, the
SQLite file's bytes, PDFs by their text and metadata, DOCX and compressed search-index files by their content."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from builders import ROOT
from pipeline.cli import main

CANARIOS = {
    "correo": "canario.{id}@privado.invalid",
    "telefono": "+52 722 555 {n:04d}",
    "curp": "CANA{n:02d}0101HMCRRR0{n}",
    "rfc": "CANR{n:02d}0101AB{n}",
    "domicilio": "Calle Canario {n}, Toluca",  # any other private field a record may keep
}


def _plantar(root: Path) -> list[str]:
    """Canaries in every private field of every member; gives the values planted."""
    stl = yaml.safe_load((root / "stl.yaml").read_text("utf-8"))
    valores = []
    for n, persona in enumerate(stl["integrantes"], 1):
        persona["privado"] = {k: v.format(id=persona["id"], n=n) for k, v in CANARIOS.items()}
        valores += persona["privado"].values()
    (root / "stl.yaml").write_text(yaml.safe_dump(stl, allow_unicode=True, sort_keys=False), "utf-8")
    return valores


def escanear(carpeta: Path, valores: list[str]) -> list[tuple[str, str]]:
    """Every (file, private value) found in a built folder."""
    hallazgos = []
    for path in sorted(p for p in carpeta.rglob("*") if p.is_file()):
        datos = path.read_bytes()
        if path.suffix == ".pdf":
            texto = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
            texto += " ".join(str(v) for v in (PdfReader(path).metadata or {}).values())
        elif zipfile.is_zipfile(path):  # DOCX: the text of every part, tags removed (a run may split a value)
            with zipfile.ZipFile(path) as paquete:
                partes = [paquete.read(n).decode("utf-8", errors="replace") for n in paquete.namelist()]
            texto = " ".join(re.sub(r"<[^>]+>", "", parte) for parte in partes)
        elif datos[:2] == b"\x1f\x8b":  # gzip: Pagefind's index and fragments
            texto = gzip.decompress(datos).decode("utf-8", errors="replace")
        else:
            texto = datos.decode("utf-8", errors="replace")
        hallazgos += [(str(path.relative_to(carpeta)), v) for v in valores if v in texto]
    return hallazgos


def _construir(root: Path) -> Path:
    base = [
        "--registros",
        str(root),
        "--archivo",
        str(root.parent / "archivo"),
        "--firmas",
        str(root.parent / "firmas"),
    ]
    for args in (
        ["archivar", "IV-2020", "--sin-firma"],
        ["archivar", "RT-2020-11-24", "--sin-firma"],
        ["publicar", "--sitio", str(root.parent / "sitio")],
    ):
        result = CliRunner().invoke(main, [*base, *args])
        assert result.exit_code == 0, result.output
    return root.parent / "sitio"


@pytest.fixture(scope="module")
def construido(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacidad") / "records"
    shutil.copytree(ROOT / "records", root)
    valores = _plantar(root)
    return _construir(root), valores


def test_no_private_value_in_the_site_or_the_open_data(construido):
    sitio, valores = construido
    assert len(valores) == 6 * len(CANARIOS)
    archivos = [p for p in sitio.rglob("*") if p.is_file()]
    assert any(p.suffix == ".pdf" for p in archivos) and (sitio / "datos/datos.sqlite").is_file()
    assert escanear(sitio, valores) == []


def test_the_scan_finds_a_planted_leak(tmp_path):
    """Test of the test: a private value copied into a public text shows up in the scan, in HTML and PDF."""
    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root)
    valores = _plantar(root)
    fuga = valores[0]
    sesion = root / "sesiones/IV-2020.yaml"
    sesion.write_text(
        sesion.read_text("utf-8").replace("solicitó se anexara", f"({fuga}) solicitó se anexara"), "utf-8"
    )
    hallazgos = escanear(_construir(root), valores)
    archivos = {archivo for archivo, valor in hallazgos if valor == fuga}
    assert "sesiones/IV-2020.html" in archivos
    assert "documentos/IV-2020/acta-IV-2020.pdf" in archivos


def test_no_private_value_in_the_public_documents(construido, tmp_path):
    """The acta, the convocatoria and its orden del día, the minuta: PDF and DOCX, as `stl` writes them."""
    sitio, valores = construido
    root = sitio.parent / "records"
    salida = tmp_path / "salida"
    for args in (
        ["acta", "IV-2020"],
        ["convocatoria", "IV-2020"],
        ["orden", "IV-2020"],
        ["minuta", "RT-2020-11-24"],
    ):
        result = CliRunner().invoke(main, ["--registros", str(root), "--salida", str(salida), *args])
        assert result.exit_code == 0, result.output
    archivos = {p.suffix for p in salida.rglob("*") if p.is_file()}
    assert {".pdf", ".docx"} <= archivos
    assert escanear(salida, valores) == []
