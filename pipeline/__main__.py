"""`stl` (and `python -m pipeline`): a missing dependency is said in Spanish, before click itself is imported."""

from __future__ import annotations

import sys


def main() -> None:
    from .paquete import REINSTALAR

    try:
        from .cli import main as stl
    except ModuleNotFoundError as exc:
        sys.exit(f"Error: falta el módulo de Python «{exc.name}»: {REINSTALAR}")
    stl()


if __name__ == "__main__":
    main()
