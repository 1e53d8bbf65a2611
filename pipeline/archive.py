"""Stage 6a — archive: the documents of a session, kept append-only with a manifest.

Takes the records, a session (or working meeting), the signature workspaces and the archive folder; gives
new entries of `archivo/manifiesto.json`: name, SHA-256, size, when archived, and a signatures summary (who,
when, valid). The acta goes in only if its signatures verify, or explicitly marked «sin firma»; so does a
minuta. Archiving other bytes under an archived name is refused: a correction is a new version with a note,
and the old one stays. Nothing archived is ever overwritten or deleted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import certificados, lta, render, rules, sign, spanish, verify
from .bitacora import BITACORA, PROPIOS, concuerda, del_documento, espacio, leer_bitacora, nombre_de
from .documentos import VERSION_PUBLICA, Constancia, FilaConstancia, proyecto
from .errors import StlError
from .files import bloqueo, sin_restos, write_atomic
from .models import Registro

__all__ = ["Entrada", "Manifiesto", "archivar", "leer", "renovar"]

MANIFIESTO = "manifiesto.json"
NO_SE_FIRMAN = frozenset({"orden"})  # the orden del día is annexed to the convocatoria: nobody signs it


@dataclass(frozen=True)
class FirmaResumen:
    nombre: str
    fecha: str | None
    valida: bool


@dataclass(frozen=True)
class Entrada:
    nombre: str  # path inside the archive: IV-2020/acta-IV-2020.pdf, IV-2020/acta-IV-2020.v2.pdf
    sesion: str
    clase: str  # acta, convocatoria, orden, minuta
    version: int
    sha256: str
    bytes: int
    archivado: str  # ISO 8601
    firmado: bool
    firmas: tuple[FirmaResumen, ...] = ()
    nota: str | None = None
    reemplaza: str | None = None
    # What the document's signatures break of PDF/A (a stamp by another program with a font not embedded, say):
    # the signed file is archived as it is, and the manifest says it.
    avisos: tuple[str, ...] = ()
    codigo: str = ""  # the verification code printed on its pages (signed documents with a public site)
    # A signed document's versión pública (LGTAIP art. 111), archived next to it: what the site publishes by default.
    version_publica: str | None = None
    version_publica_sha256: str = ""
    version_publica_bytes: int = 0
    # A signed document kept as PAdES B-LTA (stl.yaml names a TSA): its level, and when the certificate of its last
    # archive timestamp expires (`stl renovar-sello` adds a new one before).
    nivel: str = ""
    renovar_antes: str | None = None
    # An acta (or minuta) archived «sin firma» before it was approved: a draft, marked «Proyecto de acta — pendiente
    # de aprobación» on every page; the site shows it so, or not at all (sitio.proyectos).
    proyecto: bool = False

    @property
    def firmable(self) -> bool:
        return self.clase not in NO_SE_FIRMAN

    @property
    def estado_firma(self) -> str:
        """What `stl archivar` says of it: «firmado», «SIN FIRMA», or «no se firma» (the orden del día)."""
        if self.firmado:
            return "firmado"
        return "SIN FIRMA" if self.firmable else "no se firma"


@dataclass(frozen=True)
class Manifiesto:
    entradas: tuple[Entrada, ...] = ()

    def vigentes(self) -> tuple[Entrada, ...]:
        """The latest version of each (session, class): what the site shows."""
        ultimas: dict[tuple[str, str], Entrada] = {}
        for e in self.entradas:
            ultimas[(e.sesion, e.clase)] = e
        return tuple(ultimas.values())

    def ultima(self, sesion: str, clase: str) -> Entrada | None:
        return next((e for e in reversed(self.entradas) if e.sesion == sesion and e.clase == clase), None)

    def json(self) -> bytes:
        return json.dumps(
            {"documentos": [dataclasses.asdict(e) for e in self.entradas]}, ensure_ascii=False, indent=2
        ).encode()


def leer(archivo: Path) -> Manifiesto:
    path = archivo / MANIFIESTO
    if not path.is_file():
        return Manifiesto()
    raw = json.loads(path.read_text("utf-8"))["documentos"]
    return Manifiesto(
        tuple(
            Entrada(
                **{
                    **e,
                    "firmas": tuple(FirmaResumen(**f) for f in e["firmas"]),
                    "avisos": tuple(e.get("avisos", ())),
                }
            )
            for e in raw
        )
    )


@dataclass(frozen=True)
class _Documento:
    clase: str
    datos: bytes
    firmado: bool
    firmas: tuple[FirmaResumen, ...]
    avisos: tuple[str, ...] = ()
    codigo: str = ""
    publica: bytes | None = None  # its versión pública, when it is signed
    nivel: str = ""
    renovar_antes: str | None = None
    proyecto: bool = False  # an acta archived «sin firma» before its approval


def _firmado(
    registro: Registro,
    objetivo: str,
    clase: str,
    firmas: Path,
    sin_firma: bool,
    sin_preparar: str = "exigir",
    archivo: Path | None = None,
) -> _Documento | None:
    """A document that is signed: its current version if every signature verifies; unsigned only if asked.

    `sin_preparar` says what to do when it was never prepared for signature: "exigir" (refuse, as for the acta
    and the minuta) or "aceptar" (the convocatoria of a session convened before oficios were signed: archived
    unsigned, and marked so)."""
    workspace = espacio(firmas, objetivo, clase)
    nombre = nombre_de(clase)
    if (workspace / BITACORA).is_file():
        bitacora = leer_bitacora(workspace)
        datos = (workspace / bitacora.actual.archivo).read_bytes()
        esperados = {e.campo: e.nombre for e in bitacora.esperados}
        informe = verify.verificar_version(
            workspace, bitacora, certificados.raices_de_confianza(registro), registro
        )
        if informe.ok and hashlib.sha256(datos).hexdigest() == bitacora.actual.sha256:
            resumen = tuple(
                FirmaResumen(esperados.get(f.campo, f.titular), f.fecha, not f.problemas)
                for f in informe.firmas
                if not f.certificacion or f.campo in esperados
            )
            datos = _a_largo_plazo(registro, objetivo, clase, datos, archivo)
            publica = version_publica(registro, objetivo, clase, firmas, bitacora, informe, datos)
            vence = lta.vence(datos) if registro.stl.tsa else None
            largo = {"nivel": "B-LTA", "renovar_antes": vence.isoformat()} if vence else {}
            return _Documento(clase, datos, True, resumen, informe.avisos, bitacora.codigo, publica, **largo)
        problema = f"las firmas {del_documento(clase)} de {objetivo} no verifican: " + "; ".join(
            informe.todos
        )
    elif sin_preparar == "aceptar":
        sin_firma = True
        problema = ""
    else:
        problema = (
            f"{nombre} de {objetivo} no está {concuerda(clase, 'firmad')} (no se ha preparado para firma)"
        )
    if not sin_firma:
        e = concuerda(clase, "")  # publicarla marcada, publicarlo marcado
        raise StlError(
            f"{problema}. No se archivó nada; para publicarl{e} marcad{e} «sin firma», use "
            f"«stl archivar {objetivo} --sin-firma»"
        )
    borrador = False
    if clase in PROPIOS and not objetivo.startswith("RT-"):  # approved or not: the acta as the records say
        doc = render.acta(registro, rules.dictaminar(registro, objetivo))
        # Not approved yet: a draft, and every page says so (never published as the acta).
        borrador = rules.aprobacion_del_acta(registro, objetivo) is None
        if borrador:
            doc = dataclasses.replace(doc, marca=proyecto(clase).upper())
    else:
        doc = sign.firmable(registro, objetivo, clase, firmas).documento
    datos, _ = render.pdf(doc)
    return _Documento(clase, datos, False, (), proyecto=borrador)


def _a_largo_plazo(
    registro: Registro, objetivo: str, clase: str, datos: bytes, archivo: Path | None
) -> bytes:
    """With a time-stamping authority in stl.yaml, the signed document as the archive keeps it: PAdES B-LTA, the
    validation data known now and a document timestamp over everything (`lta.extender`). When the archive already
    holds this signed version so extended (or renewed since), those bytes: archiving again adds nothing."""
    tsa = registro.stl.tsa
    if not tsa:
        return datos
    previa = leer(archivo).ultima(objetivo, clase) if archivo is not None else None
    if previa is not None and (archivo / previa.nombre).is_file():
        archivado = (archivo / previa.nombre).read_bytes()
        if archivado.startswith(datos) and hashlib.sha256(archivado).hexdigest() == previa.sha256:
            return archivado
    raices, intermedias = certificados.raices_de_confianza(registro), certificados.intermedias(registro)
    try:
        return lta.extender(datos, raices, intermedias, tsa)
    except Exception as exc:  # pyHanko's TimestampRequestError, aiohttp's connection errors…
        raise StlError(
            f"no se obtuvo el sello de tiempo de archivo de {tsa} ({type(exc).__name__}): el documento firmado se "
            "archiva como PAdES B-LTA cuando stl.yaml nombra una autoridad de sellado de tiempo; revise la "
            "conexión y vuelva a ejecutar el comando. No se archivó nada"
        ) from exc


def version_publica(
    registro: Registro, objetivo: str, clase: str, firmas: Path, bitacora, informe, datos: bytes
) -> bytes:
    """The versión pública of a signed document (LGTAIP art. 111): the same document rendered again from the same
    records, with the same verification code, marked on every page, without signature fields or certificates (the
    certificates of an e.firma carry the signer's RFC and CURP), and a last page «Constancia de firmas
    electrónicas» that says who signed, when, with which certificate, the verification result, and the SHA-256 of
    the signed original kept in the archive."""
    documento = sign.firmable(registro, objetivo, clase, firmas).documento
    por_campo = {f.campo: f for f in informe.firmas}
    filas = []
    for e in bitacora.esperados:
        firma, version = por_campo.get(e.campo), bitacora.firmados.get(e.id)
        if firma is None or version is None:
            continue
        fecha = dt.datetime.fromisoformat(firma.fecha or version.fecha)
        resultado = "válida" if not firma.problemas else "NO válida: " + "; ".join(firma.problemas)
        cuando = spanish.fecha_hora_local(fecha, registro.stl.zona_horaria)
        filas.append(FilaConstancia(e.nombre, e.cargo, cuando, version.serie, version.emisor, resultado))
    stl = registro.stl
    leyenda = (
        "Esta es la versión pública del documento: el mismo texto, sin los certificados de las firmas electrónicas, "
        "que contienen datos personales de quienes firman (RFC y CURP), conforme al artículo 111 de la Ley General "
        "de Transparencia y Acceso a la Información Pública.",
        f"El original firmado electrónicamente se conserva en el archivo del {stl.nombre}; puede solicitarse al "
        f"{stl.organo_garante} mediante una solicitud de acceso a la información.",
    )
    constancia = Constancia(tuple(filas), hashlib.sha256(datos).hexdigest(), bitacora.actual.archivo, leyenda)
    verificacion = (
        render.verificacion(registro, objetivo, clase, codigo=bitacora.codigo) if bitacora.codigo else None
    )
    publica = dataclasses.replace(
        documento, verificacion=verificacion, marca=VERSION_PUBLICA, constancia=constancia
    )
    return render.pdf(publica)[0]


def _documentos(
    registro: Registro, objetivo: str, firmas: Path, sin_firma: bool, archivo: Path | None = None
) -> list[_Documento]:
    if objetivo.startswith("RT-"):
        if objetivo not in {r.id for r in registro.reuniones}:
            raise StlError(f"no hay registro de la reunión «{objetivo}»")
        return [_firmado(registro, objetivo, "minuta", firmas, sin_firma, archivo=archivo)]
    if objetivo not in {s.id for s in registro.sesiones}:
        raise StlError(f"no hay registro de la sesión «{objetivo}»")
    sesion = registro.sesion(objetivo)
    documentos = []
    if sesion.convocatoria and sesion.convocatoria.folio:
        documentos.append(_firmado(registro, objetivo, "convocatoria", firmas, sin_firma, "aceptar", archivo))
    if sesion.orden_del_dia:
        datos, _ = render.pdf(render.orden(registro, sesion))
        documentos.append(_Documento("orden", datos, False, ()))
    if not sesion.parcial and sesion.asistencia is not None:  # an acta (convened only: none yet)
        documentos.append(
            _firmado(registro, objetivo, registro.perfil.documento, firmas, sin_firma, archivo=archivo)
        )
        for fe in sesion.fe_de_erratas:  # each correction is signed and archived next to the acta
            clase = f"fe-de-erratas-{fe.numero}"
            if (espacio(firmas, objetivo, clase) / BITACORA).is_file() or sin_firma:
                documentos.append(_firmado(registro, objetivo, clase, firmas, sin_firma, archivo=archivo))
    if not documentos:
        raise StlError(f"la sesión {objetivo} no tiene documentos que archivar")
    return documentos


def _resto_identico(path: Path, sha: str) -> bool:
    """A run killed after writing a document and before the manifest leaves that document behind, unlisted: the
    same bytes found again are adopted (the entry is written now), other bytes are never replaced."""
    return hashlib.sha256(path.read_bytes()).hexdigest() == sha


def archivar(
    registro: Registro,
    objetivo: str,
    firmas: Path,
    archivo: Path,
    ahora: dt.datetime,
    sin_firma: bool = False,
    correccion: str | None = None,
) -> list[Entrada]:
    """Archive the documents of `objetivo`; gives the new entries (none when everything is already archived)."""
    documentos = _documentos(registro, objetivo, firmas, sin_firma, archivo)
    with bloqueo(archivo / ".manifiesto.lock"):
        manifiesto = leer(archivo)
        nuevas: list[tuple[Entrada, bytes]] = []
        publicas: dict[str, bytes] = {}
        for d in documentos:
            sha = hashlib.sha256(d.datos).hexdigest()
            previa = manifiesto.ultima(objetivo, d.clase)
            if previa is not None and previa.sha256 == sha:
                continue
            if previa is not None and correccion is None:
                raise StlError(
                    f"{previa.nombre} ya está archivado con otro contenido (SHA-256 {previa.sha256[:16]}…, ahora "
                    f"{sha[:16]}…): lo archivado no se reemplaza; si es una corrección, use --correccion «motivo» "
                    "y quedará como una versión nueva junto a la anterior. No se archivó nada"
                )
            version = 1 if previa is None else previa.version + 1
            sufijo = "" if version == 1 else f".v{version}"
            nombre = f"{objetivo}/{d.clase}-{objetivo}{sufijo}.pdf"
            if (archivo / nombre).exists() and not _resto_identico(archivo / nombre, sha):
                raise StlError(
                    f"{archivo / nombre} ya existe fuera del manifiesto, con otro contenido que el que se archivaría "
                    f"(SHA-256 {sha[:16]}…): no se reemplaza; revise el archivo (¿lo dejó ahí otra cosa que "
                    "«stl archivar»?). No se archivó nada"
                )
            entrada = Entrada(
                nombre,
                objetivo,
                d.clase,
                version,
                sha,
                len(d.datos),
                ahora.isoformat(timespec="seconds"),
                d.firmado,
                d.firmas,
                correccion if previa is not None else None,
                previa.nombre if previa else None,
                d.avisos,
                d.codigo,
                nombre.removesuffix(".pdf") + ".version-publica.pdf" if d.publica else None,
                hashlib.sha256(d.publica).hexdigest() if d.publica else "",
                len(d.publica) if d.publica else 0,
                d.nivel,
                d.renovar_antes,
                d.proyecto,
            )
            nuevas.append((entrada, d.datos))
            if d.publica:
                publicas[entrada.version_publica] = d.publica
        # every check passed: now write, each file new (a document, then its versión pública), then the manifest
        for nombre, datos in [*((e.nombre, d) for e, d in nuevas), *publicas.items()]:
            destino = archivo / nombre
            if destino.exists():  # left by a killed run: its temporary files go
                sin_restos(destino.parent)
            # A document left with the same bytes is adopted; a versión pública is written again over its leftover.
            if not destino.exists() or nombre in publicas:
                write_atomic(archivo, nombre, datos)
        if nuevas:
            total = Manifiesto((*manifiesto.entradas, *(e for e, _ in nuevas)))
            write_atomic(archivo, MANIFIESTO, total.json())
    return [e for e, _ in nuevas]


def renovar(
    registro: Registro, archivo: Path, ahora: dt.datetime, objetivo: str | None = None, dias: int = 365
) -> list[Entrada]:
    """A new archive timestamp (`lta.renovar`) for each archived PAdES B-LTA document, of `objetivo` or all, whose
    last archive timestamp's certificate expires within `dias` of `ahora`: a new version of it in the archive,
    next to the previous (its versión pública is the same). Gives the new entries."""
    tsa = registro.stl.tsa
    if not tsa:
        raise StlError(
            f"{Path(registro.raiz) / 'stl.yaml'} no nombra una autoridad de sellado de tiempo (firma.tsa): sin ella "
            "no hay sello de tiempo de archivo que renovar"
        )
    raices, intermedias = certificados.raices_de_confianza(registro), certificados.intermedias(registro)
    with bloqueo(archivo / ".manifiesto.lock"):
        manifiesto = leer(archivo)
        nuevas: list[tuple[Entrada, bytes]] = []
        for e in manifiesto.vigentes():
            if (objetivo and e.sesion != objetivo) or not e.renovar_antes:
                continue
            if dt.datetime.fromisoformat(e.renovar_antes) - ahora > dt.timedelta(days=dias):
                continue
            datos = (archivo / e.nombre).read_bytes()
            if hashlib.sha256(datos).hexdigest() != e.sha256:
                raise StlError(
                    f"{archivo / e.nombre} no es el que registra el manifiesto (su SHA-256 cambió): no se renueva"
                )
            try:
                renovado = lta.renovar(datos, raices, intermedias, tsa)
            except Exception as exc:  # the TSA unreachable, the last timestamp no longer valid…
                raise StlError(
                    f"no se renovó el sello de tiempo de {e.nombre} ({type(exc).__name__}): revise la conexión con "
                    f"{tsa} y vuelva a ejecutar el comando. No se escribió nada"
                ) from exc
            version = e.version + 1
            nueva = dataclasses.replace(
                e,
                nombre=f"{e.sesion}/{e.clase}-{e.sesion}.v{version}.pdf",
                version=version,
                sha256=hashlib.sha256(renovado).hexdigest(),
                bytes=len(renovado),
                archivado=ahora.isoformat(timespec="seconds"),
                nota="renovación del sello de tiempo de archivo (PAdES B-LTA): el documento anterior va intacto dentro",
                reemplaza=e.nombre,
                renovar_antes=lta.vence(renovado).isoformat(),
            )
            nuevas.append((nueva, renovado))
        for e, datos in nuevas:
            write_atomic(archivo, e.nombre, datos)
        if nuevas:
            write_atomic(
                archivo, MANIFIESTO, Manifiesto((*manifiesto.entradas, *(e for e, _ in nuevas))).json()
            )
    return [e for e, _ in nuevas]
