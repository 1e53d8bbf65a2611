"""The `stl` command: a thin layer over `pipeline.operations`, one module per family of commands.

Each command parses its options, calls one operation, prints its result; every project error becomes a Spanish
message and exit code 1 in `errors.error_boundary`. The group and its folders are in `raiz`; what all commands
share (click in Spanish, option types, printing, the credential) in `runtime`.
"""

from __future__ import annotations

from . import autoria, correo, documentos, firmas, sitio
from .raiz import main

__all__ = ["main"]

del autoria, correo, documentos, firmas, sitio  # imported for their commands, registered on `main`
