"""README's «Qué garantiza»: every guarantee names the tests that fail when it breaks, and those tests exist."""

from __future__ import annotations

import ast
import re

from builders import ROOT


def _pruebas(modulo: str) -> set[str]:
    arbol = ast.parse((ROOT / modulo).read_text("utf-8"))
    return {n.name for n in arbol.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_guarantee_names_tests_that_exist():
    readme = (ROOT / "README.md").read_text("utf-8")
    seccion = readme[readme.index("## Qué garantiza") :]
    filas = [f for f in seccion.splitlines() if f.startswith("| ") and not f.startswith("| garantía")]
    assert len(filas) >= 20
    for fila in filas:
        nombradas = re.findall(r"`(tests/test_\w+\.py)::(test_\w+)`", fila.rsplit(" | ", 1)[-1])
        assert nombradas, f"la garantía no nombra su prueba: {fila[:100]}…"
        for modulo, prueba in nombradas:
            assert prueba in _pruebas(modulo), f"{modulo}::{prueba} no existe ({fila[:60]}…)"
