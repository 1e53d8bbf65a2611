"""The ledger of a document under signature (`signatures/<SESION>/bitacora.json`): shared by stages 4 to 6.

Takes nothing but the workspace folder; gives the expected signatories and every version of the PDF, oldest
first, as `stl preparar-firma`, `stl firmar` and `stl incorporar` wrote them. `sign` appends to it; `verify`,
`archive`, `distribute` and `report` read it.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import StlError

__all__ = ["BITACORA", "Bitacora", "Esperado", "Version", "leer_bitacora"]

BITACORA = "bitacora.json"


@dataclass(frozen=True)
class Esperado:
    """A signatory the acta expects: an attending integrante who signs (rules.Dictamen.firmantes)."""

    id: str
    nombre: str
    cargo: str
    campo: str  # signature field name: firma-<id>


@dataclass(frozen=True)
class Version:
    numero: int
    archivo: str
    sha256: str
    fecha: str  # ISO 8601, when it was written
    firmante: str | None  # None: the prepared, certified base
    certificado: str  # SHA-256 of the signer's certificate
    serie: str
    emisor: str


@dataclass(frozen=True)
class Bitacora:
    """The ledger next to the PDFs: expected signatories and every version, oldest first."""

    sesion: str
    documento: str  # "acta-IV-2020"
    fojas: int
    aprobacion: str
    esperados: tuple[Esperado, ...]
    versiones: tuple[Version, ...]

    @property
    def actual(self) -> Version:
        return self.versiones[-1]

    @property
    def firmados(self) -> dict[str, Version]:
        return {v.firmante: v for v in self.versiones if v.firmante}

    @property
    def siguiente(self) -> Esperado | None:
        """Who signs next: the first expected signatory, in the order of the acta, who has not signed."""
        return next((e for e in self.esperados if e.id not in self.firmados), None)

    def esperado(self, id_: str) -> Esperado | None:
        return next((e for e in self.esperados if e.id == id_), None)

    def con(self, version: Version) -> Bitacora:
        return dataclasses.replace(self, versiones=(*self.versiones, version))

    def json(self) -> bytes:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, indent=2).encode("utf-8")

    @classmethod
    def de_json(cls, data: bytes) -> Bitacora:
        raw = json.loads(data)
        raw["esperados"] = tuple(Esperado(**e) for e in raw["esperados"])
        raw["versiones"] = tuple(Version(**v) for v in raw["versiones"])
        return cls(**raw)


def leer_bitacora(workspace: Path) -> Bitacora:
    path = workspace / BITACORA
    if not path.is_file():
        raise StlError(
            f"{workspace} no tiene acta preparada para firma: ejecute primero «stl preparar-firma»"
        )
    return Bitacora.de_json(path.read_bytes())
