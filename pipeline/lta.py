"""Stages 5 and 6 — long-term signatures (PAdES B-LTA): the archived document keeps its own proof.

Actas are permanent records (000 Cap. IX.3) and an e.firma certificate lasts four years. Takes a signed PDF and
the trust configuration of stl.yaml; gives:

- `extender`: the same PDF with the validation data known now in its Document Security Store (every signer's
  and every time-stamping authority's certificates, OCSP responses and CRLs) and a document timestamp over
  everything (ETSI EN 319 142-1, PAdES B-LTA), as `stl archivar` keeps it when stl.yaml names a TSA;
- `renovar`: a new archive timestamp over the last one, with the last one's validation data, before its
  authority's certificate expires (`stl renovar-sello`);
- `nivel`: the level a PDF reached (B-B, B-T, B-LT, B-LTA), for `stl verificar`;
- `existencia`: years later, the earliest moment a signature is proven to have existed, walking the document
  timestamps from the newest (valid at the time of verification) to the oldest, each validated at the moment the
  next one proves; `verify` checks the signer's certificate then. This is EN 319 102-1's time-sliding reduced to
  what a Mexican e.firma allows: the SAT's certificates name no OCSP nor CRL, so pyHanko's AdES past validation
  (which wants revocation data for every certificate of the path) cannot slide them.

Every function takes the moment as an argument, never the clock.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io

from . import certificados

__all__ = ["existencia", "extender", "nivel", "renovar", "vence"]


def _contexto(raices: list, otros: list, momento: dt.datetime | None = None):
    return certificados.contexto_validacion(raices, momento, tuple(otros))


def _timestamper(tsa: str):
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(tsa)


def extender(datos: bytes, raices: list, otros: list, tsa: str) -> bytes:
    """`datos` with a DSS of everything needed to validate each signature and its timestamp, and a document
    timestamp from `tsa` that covers them (one incremental update). A signature whose path cannot be built now
    (a certificate expired since) adds no data: the timestamp still proves when the document existed."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.signers import PdfTimeStamper
    from pyhanko.sign.signers.pdf_signer import TimestampDSSContentSettings
    from pyhanko.sign.validation.dss import collect_validation_info

    contexto = _contexto(raices, otros)
    reader = PdfFileReader(io.BytesIO(datos), strict=False)

    async def rutas() -> list:
        encontradas = []
        for firma in reader.embedded_regular_signatures:
            try:
                encontradas += list(await collect_validation_info(firma, contexto))
            except Exception:  # pyHanko and certvalidator raise many kinds: the rest goes on
                continue
        return encontradas

    caminos = asyncio.run(rutas())
    escritor = IncrementalPdfFileWriter(io.BytesIO(datos))
    sellador = PdfTimeStamper(_timestamper(tsa))
    ajustes = TimestampDSSContentSettings(update_before_ts=True, include_vri=False)
    salida = sellador.timestamp_pdf(
        escritor, "sha256", validation_context=contexto, validation_paths=caminos, dss_settings=ajustes
    )
    return salida.getvalue()


def renovar(datos: bytes, raices: list, otros: list, tsa: str) -> bytes:
    """A new archive timestamp over `datos`, with the validation data of the last one (its authority's chain and
    revocation status now), written before the new timestamp covers it."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.signers import PdfTimeStamper

    reader = PdfFileReader(io.BytesIO(datos), strict=False)
    salida = PdfTimeStamper(_timestamper(tsa)).update_archival_timestamp_chain(
        reader, _contexto(raices, otros), in_place=False
    )
    return salida.getvalue()


def _token_time(sig) -> dt.datetime:
    return sig.signed_data["encap_content_info"]["content"].parsed["gen_time"].native


def _tsa(sig):
    return sig.signer_cert


def vence(datos: bytes) -> dt.datetime | None:
    """When the certificate of the authority that made the last document timestamp expires: renew before."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    sellos = PdfFileReader(io.BytesIO(datos), strict=False).embedded_timestamp_signatures
    return certificados.identidad(_tsa(sellos[-1])).vigente_hasta if sellos else None


def nivel(reader, con_sello: list[bool]) -> str:
    """The PAdES level of the document (EN 319 142-1): B-LTA with a document timestamp over validation data in
    the DSS; B-LT with that data and every signature timestamped; B-T, every signature timestamped; else B-B.
    `con_sello`: whether each signature carries its own timestamp."""
    dss = "/DSS" in reader.root
    if dss and reader.embedded_timestamp_signatures:
        return "B-LTA"
    if con_sello and all(con_sello):
        return "B-LT" if dss else "B-T"
    return "B-B"


def _sello_confiable(sello, raices: list, otros: list, momento: dt.datetime | None) -> bool:
    """Whether a document timestamp is intact, valid and made by an authority trusted at `momento`."""
    from pyhanko.sign.validation import validate_pdf_timestamp

    try:
        estado = validate_pdf_timestamp(
            sello, validation_context=_contexto(raices, otros, momento), skip_diff=True
        )
    except Exception:  # a broken token proves nothing
        return False
    return bool(estado.intact and estado.valid and estado.trusted)


def existencia(reader, sig, raices: list, otros: list, ahora: dt.datetime | None) -> dt.datetime | None:
    """The earliest moment `sig` is proven to have existed by the document timestamps after it: the newest must be
    trusted at `ahora` (None: now); each older one, at the time the next proves. None if none proves it."""
    posteriores = [t for t in reader.embedded_timestamp_signatures if t.signed_revision > sig.signed_revision]
    momento, probado = ahora, None
    for sello in reversed(posteriores):
        if not _sello_confiable(sello, raices, otros, momento):
            break
        momento = probado = _token_time(sello)
    return probado
