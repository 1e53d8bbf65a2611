"""The archive: append-only, verified signed actas, «sin firma» only when asked, corrections as new versions."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from builders import firmar_iv_2020
from pipeline.cli import main


def stl(root: Path, *args: str):
    base = [
        "--registros",
        str(root),
        "--firmas",
        str(root.parent / "firmas"),
        "--archivo",
        str(root.parent / "archivo"),
    ]
    return CliRunner().invoke(main, [*base, *args])


def manifiesto(root: Path) -> list[dict]:
    return json.loads((root.parent / "archivo/manifiesto.json").read_text("utf-8"))["documentos"]


def test_unsigned_acta_is_refused_unless_marked_sin_firma(tree):
    result = stl(tree, "archivar", "IV-2020")
    assert result.exit_code == 1
    assert "el acta de IV-2020 no está firmada" in result.output and "--sin-firma" in result.output
    assert not (tree.parent / "archivo").exists()
    marcada = stl(tree, "archivar", "IV-2020", "--sin-firma")
    assert marcada.exit_code == 0, marcada.output
    acta = next(e for e in manifiesto(tree) if e["clase"] == "acta")
    assert acta["firmado"] is False and acta["firmas"] == []


def test_signed_acta_is_archived_with_its_signatures_once(tree):
    firmada = firmar_iv_2020(tree)
    result = stl(tree, "archivar", "IV-2020")
    assert result.exit_code == 0, result.output
    entradas = {e["clase"]: e for e in manifiesto(tree)}
    assert set(entradas) == {"convocatoria", "orden", "acta"}
    acta = entradas["acta"]
    assert acta["nombre"] == "IV-2020/acta-IV-2020.pdf" and acta["firmado"] is True
    assert acta["sha256"] == hashlib.sha256(firmada).hexdigest() and acta["bytes"] == len(firmada)
    # In the order they signed: the Facilitador first, by certifying it.
    assert [f["nombre"] for f in acta["firmas"]] == [
        "Rafael Funes Díaz",
        "Zulema Martínez Sánchez",
        "Javier Vargas Zempoaltecatl",
        "Daniel Rosemberg Cervantes Pérez",
    ]
    assert all(f["valida"] and f["fecha"] for f in acta["firmas"])
    assert (tree.parent / "archivo/IV-2020/acta-IV-2020.pdf").read_bytes() == firmada
    again = stl(tree, "archivar", "IV-2020")
    assert again.exit_code == 0 and "Nada nuevo" in again.output and len(manifiesto(tree)) == 3


def test_different_bytes_under_an_archived_name_are_refused_and_a_correction_is_a_new_version(tree):
    assert stl(tree, "archivar", "IV-2020", "--sin-firma").exit_code == 0
    before = {p: p.read_bytes() for p in (tree.parent / "archivo").rglob("*") if p.is_file()}
    firmar_iv_2020(tree)  # now the signed acta exists: other bytes for acta-IV-2020.pdf
    refused = stl(tree, "archivar", "IV-2020")
    assert refused.exit_code == 1
    assert "IV-2020/acta-IV-2020.pdf ya está archivado con otro contenido" in refused.output
    assert {p: p.read_bytes() for p in (tree.parent / "archivo").rglob("*") if p.is_file()} == before
    corrected = stl(
        tree, "archivar", "IV-2020", "--correccion", "Versión con las firmas de los cuatro integrantes"
    )
    assert corrected.exit_code == 0, corrected.output
    actas = [e for e in manifiesto(tree) if e["clase"] == "acta"]
    assert [(e["nombre"], e["version"], e["firmado"]) for e in actas] == [
        ("IV-2020/acta-IV-2020.pdf", 1, False),
        ("IV-2020/acta-IV-2020.v2.pdf", 2, True),
    ]
    assert actas[1]["reemplaza"] == "IV-2020/acta-IV-2020.pdf" and actas[1]["nota"].startswith(
        "Versión con las firmas"
    )
    assert (tree.parent / "archivo/IV-2020/acta-IV-2020.pdf").read_bytes() == before[
        tree.parent / "archivo/IV-2020/acta-IV-2020.pdf"
    ]


def test_minuta_needs_sin_firma(tree):
    refused = stl(tree, "archivar", "RT-2020-11-24")
    assert refused.exit_code == 1 and "--sin-firma" in refused.output
    assert stl(tree, "archivar", "RT-2020-11-24", "--sin-firma").exit_code == 0
    assert [e["clase"] for e in manifiesto(tree)] == ["minuta"]
