"""The ledger of a document under signature (`signatures/<SESION>/bitacora.json`): shared by stages 4 to 6.

Every document the mechanisms require signed has one: the acta and the minuta in `signatures/<SESION>/` (the
record's own document), the convocatoria oficio and each fe de erratas in a folder of their own inside it
(`signatures/IV-2020/convocatoria/`, `signatures/IV-2020/fe-de-erratas-1/`).

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

__all__ = [
    "BITACORA",
    "Bitacora",
    "Esperado",
    "Version",
    "clase_de",
    "concuerda",
    "del_documento",
    "espacio",
    "leer_bitacora",
    "nombre_de",
    "palabras",
]

BITACORA = "bitacora.json"
PROPIOS = ("acta", "minuta")  # the record's own document: its ledger is the session's folder itself
_NOMBRES = {  # with the ending of the words that agree with it (el acta firmada, el oficio firmado)
    "acta": ("el acta", "a"),
    "minuta": ("la minuta", "a"),
    "convocatoria": ("el oficio de convocatoria", "o"),
    "fe-de-erratas": ("la fe de erratas", "a"),
    "orden": ("el orden del día", "o"),  # not signed, but archived and published
}


def clase_de(objetivo: str, documento: str | None, propio: str = "acta") -> str:
    """The document meant: as asked, or the record's own (a working meeting's minuta; a session's `propio`, what
    its profile calls it: «acta», or «minuta» in Zacatecas). A working meeting has no other document to sign."""
    if objetivo.startswith("RT-") and documento not in (None, "minuta"):
        raise StlError(
            f"una reunión de trabajo deja una minuta, no {nombre_de(documento)}: «{objetivo}», sin --documento, "
            "nombra su minuta"
        )
    return documento or ("minuta" if objetivo.startswith("RT-") else propio)


def _nombre(clase: str) -> tuple[str, str]:
    return _NOMBRES.get(clase.rstrip("0123456789").rstrip("-"), (f"el documento {clase}", "o"))


def nombre_de(clase: str) -> str:
    """«el acta», «la minuta», «el oficio de convocatoria», «la fe de erratas» (fe-de-erratas-2 too)."""
    return _nombre(clase)[0]


def del_documento(clase: str) -> str:
    """«del acta», «de la minuta», «del oficio de convocatoria», «de la fe de erratas»."""
    nombre = nombre_de(clase)
    return "del " + nombre.removeprefix("el ") if nombre.startswith("el ") else "de " + nombre


def concuerda(clase: str, palabra: str) -> str:
    """«preparad» → «preparada» for el acta, «preparado» for el oficio."""
    return palabra + _nombre(clase)[1]


def palabras(clase: str) -> dict[str, str]:
    """How a text speaks of the document `clase`: {"el": "la minuta", "del": "de la minuta", "nombre": "minuta",
    "o": "a"} (the ending of the words that agree with it). The signing page words its messages and its stamp
    with them (publish, `firmar/datos.js`), as `stl firmar` does with `nombre_de` and `del_documento`."""
    el = nombre_de(clase)
    return {"el": el, "del": del_documento(clase), "nombre": el.split(" ", 1)[1], "o": concuerda(clase, "")}


def espacio(firmas: Path, objetivo: str, clase: str) -> Path:
    """The workspace of one document under signature."""
    return firmas / objetivo if clase in PROPIOS else firmas / objetivo / clase


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
    clase: str = "acta"  # acta, minuta, convocatoria, fe-de-erratas-N
    codigo: str = ""  # the verification code printed on every page (empty: no public site to verify at)

    @property
    def nombre(self) -> str:
        return nombre_de(self.clase)

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


def leer_bitacora(workspace: Path, clase: str = "acta") -> Bitacora:
    path = workspace / BITACORA
    if not path.is_file():
        objetivo = workspace.name if clase in PROPIOS else workspace.parent.name
        documento = "" if clase in PROPIOS else f" --documento {clase}"
        raise StlError(
            f"{workspace}: {nombre_de(clase)} no está {concuerda(clase, 'preparad')} para firma: ejecute primero "
            f"«stl preparar-firma {objetivo}{documento}»"
        )
    return Bitacora.de_json(path.read_bytes())
