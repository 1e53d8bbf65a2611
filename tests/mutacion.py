"""The result of `make mutacion` as a table, and every survivor with its change (not a test: run by the Makefile).

Reads what mutmut left in mutants/ (one `.meta` per mutated file: each mutant's exit code) and prints, per module,
how many mutants ran, how many a test killed and how many survived, then each survivor's diff (as `mutmut show`):
what tests/MUTACION.md records, with the reason each survivor is harmless or the test that now kills it.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

MUERTOS = {
    1,
    3,
    36,
    -24,
    24,
    152,
    255,
    37,
}  # a failing test, pytest's internal error, a timeout, the type check


def resultados(carpeta: Path) -> dict[str, dict[str, int]]:
    """Module → mutant name → exit code, for the mutants that ran."""
    por_modulo = {}
    for meta in sorted(carpeta.rglob("*.py.meta")):
        codigos = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        corridos = {nombre: codigo for nombre, codigo in codigos.items() if codigo is not None}
        if corridos:
            por_modulo[str(meta.relative_to(carpeta)).removesuffix(".meta")] = corridos
    return por_modulo


def main() -> int:
    por_modulo = resultados(Path("mutants"))
    if not por_modulo:
        print("No hay resultados de mutmut en mutants/: ejecute «make mutacion».", file=sys.stderr)
        return 1
    print("| módulo | mutantes | muertos | sobreviven | sin prueba |")
    print("|---|---:|---:|---:|---:|")
    sobrevivientes = []
    total = Counter()
    for modulo, codigos in por_modulo.items():
        cuenta = Counter(
            "muertos" if c in MUERTOS else "sobreviven" if c == 0 else "sin prueba" for c in codigos.values()
        )
        cuenta["mutantes"] = len(codigos)
        total.update(cuenta)
        sobrevivientes += [nombre for nombre, c in codigos.items() if c == 0]
        print(
            f"| `{modulo}` | {cuenta['mutantes']} | {cuenta['muertos']} | {cuenta['sobreviven']} "
            f"| {cuenta['sin prueba']} |"
        )
    print(
        f"| total | {total['mutantes']} | {total['muertos']} | {total['sobreviven']} | {total['sin prueba']} |"
    )
    from mutmut.mutation.diff_apply import find_mutant, get_diff_for_mutant

    for nombre in sobrevivientes:
        print(
            f"\n## {nombre}\n\n```diff\n{get_diff_for_mutant(nombre, path=find_mutant(nombre).path).strip()}\n```"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
