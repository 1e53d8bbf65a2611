"""What a user does, one function each: the whole job of a command, readable top to bottom.

Takes values (the folders, ids, options, the clock's "now"); gives a `Resultado` (paths written, lines to show,
warnings). Nothing here prints, prompts or imports click: the CLI (`pipeline/cli/`), the preview and the batch
call these same functions, so the snapshot of the records, the cache of parsed records, the change detection and
the approval freeze hold on every path. Stages below (records, rules, render, sign, verify, archive, publish,
distribute) never import this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import aprobaciones, huellas, paquete, records, render, rules, wording
from .errors import StlError
from .files import aparte, sincronizar, subcarpeta, write_atomic

__all__ = [
    "Carpetas",
    "Resultado",
    "actas",
    "buscar_registros",
    "documento",
    "validar",
]

Avance = Callable[[int, int], None]


def _sin_avance(hechos: int, total: int) -> None:
    """No progress to show."""


@dataclass(frozen=True)
class Carpetas:
    """The folders a command works with; `registros` is None when no stl.yaml was found (`buscar_registros`)."""

    registros: Path | None
    salida: Path = Path("salida")
    firmas: Path = Path("signatures")
    archivo: Path = Path("archivo")

    @property
    def raiz(self) -> Path:
        """The records folder, or a Spanish error that says how to point at one."""
        if self.registros is None:
            raise StlError(
                "no se encontró stl.yaml en esta carpeta ni en las superiores: indique la carpeta de registros con "
                "«stl --registros CARPETA …» o con la variable STL_REGISTROS, o cree una con «stl init CARPETA "
                "--perfil …»"
            )
        return self.registros


@dataclass(frozen=True)
class Resultado:
    """What a command did: the files it wrote, what to tell the user, and warnings."""

    paths: tuple[Path, ...] = ()
    lineas: tuple[str, ...] = ()
    avisos: tuple[str, ...] = ()
    datos: object = None  # the command's own value (a report, a dictamen) for callers that need more


def buscar_registros(desde: Path) -> Path | None:
    """The records folder from `desde`: the nearest folder holding stl.yaml, going up as git looks for .git; else
    `records/` right there (a checkout of this project)."""
    desde = Path(desde).resolve()
    for carpeta in (desde, *desde.parents):
        if (carpeta / "stl.yaml").is_file():
            return carpeta
    if (desde / "records" / "stl.yaml").is_file():
        return desde / "records"
    return None


def _avisos_de_otros(registro) -> tuple[str, ...]:
    """Problems of records this command does not use: said, never fatal here (`stl validar` lists them)."""
    return tuple(f"{p} (no impide este comando; «stl validar» lo señala)" for p in registro.avisos)


def _cargar(c: Carpetas, usa: Iterable[str] | None = None, **kwargs):
    """The records, needing valid only what the command uses (`usa`: ids of sessions or meetings)."""
    return records.load(c.raiz, para=frozenset(usa) if usa is not None else None, **kwargs)


def _sesion(registro, sesion: str) -> None:
    if sesion not in {s.id for s in registro.sesiones}:
        ids = ", ".join(s.id for s in registro.sesiones) or "ninguna"
        raise StlError(f"no hay registro de la sesión «{sesion}»; sesiones: {ids}")


def _reunion(registro, reunion: str) -> None:
    if reunion not in {r.id for r in registro.reuniones}:
        ids = ", ".join(r.id for r in registro.reuniones) or "ninguna"
        raise StlError(f"no hay registro de la reunión «{reunion}»; reuniones: {ids}")


def _objetivo(registro, objetivo: str) -> None:
    """A session or working meeting that exists."""
    (_reunion if objetivo.startswith("RT-") else _sesion)(registro, objetivo)


def _usado(c: Carpetas, objetivo: str, solo: str | None = None, que: str = ""):
    """The records, with the session or meeting a command works on valid and present; `solo` «sesion» or «reunion»
    when the command makes `que` (a document) of only one of them."""
    registro = _cargar(c, [objetivo])
    es_reunion = objetivo.startswith("RT-")
    if solo == "sesion" and es_reunion:
        raise StlError(
            f"{objetivo} es una reunión de trabajo: {que} es de una sesión del STL; de una reunión se genera la "
            f"minuta («stl minuta {objetivo}»). No se escribió nada"
        )
    if solo == "reunion" and not es_reunion:
        if objetivo in {x.id for x in registro.sesiones}:
            raise StlError(
                f"{objetivo} es una sesión, no una reunión de trabajo (RT-AAAA-MM-DD): "
                f"{wording.documento(registro, 'el').lower()} de una sesión se genera con «stl acta {objetivo}». "
                "No se escribió nada"
            )
        _reunion(registro, objetivo)
    _objetivo(registro, objetivo)
    return registro


# --- records and rules -----------------------------------------------------------------------------------------


def validar(c: Carpetas, sesion: str) -> Resultado:
    """Every record read and checked (all problems are errors here), and the session's rules dictamen."""
    from . import membrete

    registro = records.load(c.raiz)
    membrete.revisar(registro)  # the logos as the oficios prepare them: what they would refuse
    _sesion(registro, sesion)
    return Resultado(datos=(registro, rules.dictaminar(registro, sesion)))


# --- the approval freeze, the same on every path ---------------------------------------------------------------


def _vigilar(
    registro, sesion: str, doc, ahora: dt.datetime | None, archivo: Path | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The acta against its approved text, (lines, warnings): recorded the first time its approval is seen (when
    `ahora` is given: the preview records nothing), a warning when the records changed it since."""
    vigilancia = aprobaciones.vigilar(registro, sesion, doc, ahora, archivo)
    if vigilancia.cambios:
        aviso = (
            f"{wording.documento(registro, 'el').lower()} de {sesion} ya no es el texto aprobado ({vigilancia.aprobacion}): cambió "
            f"{', '.join(vigilancia.cambios)}. No se podrá preparar para firma; una corrección es una fe de erratas."
        )
        return (), (aviso,)
    if vigilancia.registrada:
        return (
            f"Texto aprobado {wording.documento(registro, 'del').lower()} de {sesion} registrado en "
            f"{Path(registro.raiz) / aprobaciones.ARCHIVO}",
        ), ()
    return (), ()


def documento(c: Carpetas, objetivo: str) -> tuple[object, tuple[str, ...]]:
    """The acta of a session or the minuta of a meeting as worded now, and the warnings (freeze, other records),
    without writing anything: what the preview shows."""
    registro = _usado(c, objetivo)
    if objetivo.startswith("RT-"):
        return render.minuta(registro, registro.reunion(objetivo)), _avisos_de_otros(registro)
    doc = render.acta(registro, rules.dictaminar(registro, objetivo))
    return doc, _vigilar(registro, objetivo, doc, None, c.archivo)[1] + _avisos_de_otros(registro)


# --- documents -------------------------------------------------------------------------------------------------


def _imprenta(formato: str):
    """When a PDF is wanted, a second process that readies WeasyPrint while this one loads the records."""
    from . import imprenta

    return imprenta.Imprenta() if formato in ("pdf", "ambos") else contextlib.nullcontext()


def _lista(registro, sesiones: list[str], todas: bool) -> list[str]:
    if todas:
        sesiones = [s.id for s in registro.sesiones if s.asistencia is not None and not s.parcial]
    if not sesiones:
        raise StlError("indique al menos una SESION, o --todas")
    for sesion in sesiones:
        _sesion(registro, sesion)
    return sesiones


def actas(
    c: Carpetas,
    sesiones: list[str],
    todas: bool,
    formato: str,
    ahora: dt.datetime,
    avance: Avance = _sin_avance,
) -> Resultado:
    """The acta of each session (or of all with attendance): made from one snapshot of the records' bytes, parsed
    through the cache, skipped when nothing it is made from changed, laid out in this process for one acta and
    across the cores for several, and checked against its approved text (recorded the first time)."""
    leidos = huellas.instantanea(c.raiz)
    if len(sesiones) == 1 and not todas:  # a rebuild that changes nothing loads no records at all
        hecho = _vigente(c, sesiones[0], leidos, formato)
        if hecho is not None:
            return hecho
    analizados = records.Analizados(Path(c.salida) / ".cache")
    registro = _cargar(c, None if todas else sesiones, archivos=leidos, cache=analizados)
    sesiones = _lista(registro, list(sesiones), todas)
    extras = [(s, formato) for s in sesiones]
    huella = dict(zip(sesiones, huellas.varias(leidos, paquete.plantillas(), extras), strict=True))
    hechas: dict[str, tuple[list[Path], tuple[str, ...]]] = {}
    pendientes, lineas = [], []
    for s in sesiones:
        vigentes = huellas.vigentes(subcarpeta(c.salida, s), f"acta-{s}", huella[s])
        if vigentes is None:
            pendientes.append(s)
        else:
            hechas[s] = vigentes
    for s, paths, doc in _maquetar(c, registro, leidos, pendientes, formato, analizados, avance):
        registrado, avisos = (), ()
        if rules.aprobacion_del_acta(registro, s) is not None:  # the batch's workers worded theirs apart
            doc = doc or render.acta(registro, rules.dictaminar(registro, s))
            registrado, avisos = _vigilar(registro, s, doc, ahora, c.archivo)
        huellas.anotar(subcarpeta(c.salida, s), f"acta-{s}", huella[s], paths, avisos)
        hechas[s], lineas = (paths, avisos), lineas + list(registrado)
    analizados.guardar()  # once every acta was written: bad input writes nothing, not even the cache
    paths = tuple(p for s in sesiones for p in hechas[s][0])
    avisos = tuple(a for s in sesiones for a in hechas[s][1])
    return Resultado(paths, (*map(str, paths), *lineas), avisos + _avisos_de_otros(registro))


def _vigente(c: Carpetas, sesion: str, leidos, formato: str) -> Resultado | None:
    if not (Path(c.salida) / sesion).is_dir():
        return None
    huella = huellas.entradas(leidos, paquete.plantillas(), sesion, formato)
    vigentes = huellas.vigentes(subcarpeta(c.salida, sesion), f"acta-{sesion}", huella)
    return None if vigentes is None else Resultado(tuple(vigentes[0]), avisos=vigentes[1])


def _maquetar(c, registro, leidos, pendientes: list[str], formato: str, analizados, avance: Avance):
    """(session, paths, acta) as each acta is laid out and written: in this process for one (its worded acta
    given), across cores for more (None: worded in the workers)."""
    from . import batch, escritura

    if len(pendientes) == 1:
        s = pendientes[0]
        with _imprenta(formato) as imprenta:
            doc = render.acta(registro, rules.dictaminar(registro, s))
            paths = escritura.escribir(subcarpeta(c.salida, s), f"acta-{s}", doc, formato, imprenta)
        yield s, paths, doc  # one acta: no progress bar
        return
    lote = batch.actas(c.raiz, pendientes, c.salida, formato, analizados.carpeta, archivos=leidos)
    for n, (s, paths) in enumerate(lote, start=1):
        avance(n, len(pendientes))
        sincronizar([Path(p) for p in paths])  # here, while the workers lay out the next ones
        yield s, [Path(p) for p in paths], None


def convocatoria(c: Carpetas, sesion: str, formato: str) -> Resultado:
    """The oficio with its folio: the session's own, or the year's next, recorded only once the files are written;
    refused (no folio spent, nothing written) when the notice is short of the profile's business days."""
    from . import escritura, folios

    with _imprenta(formato) as imprenta:
        registro = _usado(c, sesion, "sesion", "el oficio de convocatoria")
        s = registro.sesion(sesion)
        if s.convocatoria is None:
            raise StlError(
                f"{s.lugar.archivo}: la sesión {sesion} no tiene «convocatoria» (fecha y quién convoca)"
            )
        carpeta, escritos = subcarpeta(c.salida, sesion), []

        def escribir(folio: str) -> None:  # before the folio is recorded: a failure consumes none
            oficio = render.convocatoria(registro, s, folio)
            escritos.extend(escritura.escribir(carpeta, f"convocatoria-{sesion}", oficio, formato, imprenta))

        destinatario = f"Integrantes del {registro.stl.nombre}"
        asunto = f"Convocatoria a la {render.wording.nombre_sesion(s)}"
        folio = folios.emitir(c.raiz, sesion, destinatario, asunto, escribir)
    return Resultado(tuple(escritos), (f"Folio {folio}", *map(str, escritos)), _avisos_de_otros(registro))


def orden(c: Carpetas, sesion: str, formato: str) -> Resultado:
    """The orden del día as convened, a document of its own."""
    from . import escritura

    with _imprenta(formato) as imprenta:
        registro = _usado(c, sesion, "sesion", "el orden del día")
        doc = render.orden(registro, registro.sesion(sesion))
        paths = escritura.escribir(
            subcarpeta(c.salida, sesion), f"orden-del-dia-{sesion}", doc, formato, imprenta
        )
    return Resultado(tuple(paths), avisos=_avisos_de_otros(registro))


def minuta(c: Carpetas, reunion: str, formato: str) -> Resultado:
    """The minuta of a working meeting."""
    from . import escritura

    with _imprenta(formato) as imprenta:
        registro = _usado(c, reunion, "reunion")
        doc = render.minuta(registro, registro.reunion(reunion))
        paths = escritura.escribir(subcarpeta(c.salida, reunion), f"minuta-{reunion}", doc, formato, imprenta)
    avisos = tuple(rules.advertencias_reunion(registro, registro.reunion(reunion)))  # a non-working day
    return Resultado(tuple(paths), avisos=avisos + _avisos_de_otros(registro))


def fe_de_erratas(c: Carpetas, sesion: str, numero: int | None, formato: str) -> Resultado:
    """Each fe de erratas of the session's acta (or the N-th), every one checked before anything is written."""
    from . import escritura, sign

    with _imprenta(formato) as imprenta:
        registro = _usado(c, sesion, "sesion", "la fe de erratas")
        s = registro.sesion(sesion)
        if not s.fe_de_erratas:
            raise StlError(f"{s.lugar.archivo}: la sesión {sesion} no tiene «fe_de_erratas»")
        numeros = [numero] if numero else [fe.numero for fe in s.fe_de_erratas]
        docs = [sign.firmable(registro, sesion, f"fe-de-erratas-{n}", c.firmas).documento for n in numeros]
        carpeta, paths = subcarpeta(c.salida, sesion), []
        for n, doc in zip(numeros, docs, strict=True):
            paths += escritura.escribir(carpeta, f"fe-de-erratas-{n}-{sesion}", doc, formato, imprenta)
    return Resultado(tuple(paths), avisos=_avisos_de_otros(registro))


# --- authoring -------------------------------------------------------------------------------------------------


def init(carpeta: Path, perfil: str) -> Resultado:
    """The records of a new STL in an empty folder: stl.yaml with the profile's seats to fill in, the folio
    registry, sesiones/ and reuniones/; a profile of one's own is checked and copied to perfiles/."""
    from . import authoring, perfiles

    if carpeta.exists() and any(carpeta.iterdir()):
        raise StlError(f"{carpeta} ya tiene contenido: «stl init» solo escribe en una carpeta nueva o vacía")
    leido, propio = perfiles.para_init(perfil)
    paths = [
        write_atomic(carpeta, rel, texto.encode("utf-8"))
        for rel, texto in authoring.nuevo_stl(leido, carpeta, propio).items()
    ]
    for sub in ("sesiones", "reuniones"):
        (carpeta / sub).mkdir(parents=True, exist_ok=True)
    siguiente = (
        f"Llene cada «POR LLENAR» de {carpeta / 'stl.yaml'} y revise con «stl --registros {carpeta} validar SESION» "
        f"después de «stl --registros {carpeta} nueva-sesion I-AAAA --fecha AAAA-MM-DD --hora HH:MM»."
    )
    return Resultado(tuple(paths), (*map(str, paths), siguiente))


def _escribir_registro(raiz: Path, agenda) -> Resultado:
    """Write a new record only if it does not exist and the whole tree still loads with it."""
    destino = raiz / agenda.ruta
    if destino.exists():
        raise StlError(f"ya existe {destino}: no se sobrescribe")
    with tempfile.TemporaryDirectory() as tmp:
        prueba = Path(tmp) / "registros"
        shutil.copytree(raiz, prueba)
        (prueba / agenda.ruta).write_text(agenda.texto, "utf-8")
        nuevo = records.load(prueba, para=frozenset({Path(agenda.ruta).stem}))
    write_atomic(raiz, agenda.ruta, agenda.texto.encode("utf-8"))
    return Resultado((destino,), (str(destino), *agenda.avisos), _avisos_de_otros(nuevo))


def nueva_sesion(
    c: Carpetas, sesion: str | None, fecha, hora, extraordinaria: bool, modalidad: str, sede: str
) -> Resultado:
    """The next session's record, pre-filled from the profile and the previous sessions; never overwritten.
    Without `sesion`, the id is the next one's (what the console does: no id to invent)."""
    from . import authoring

    registro = _cargar(c, [])
    if sesion is None:
        sesion = authoring.id_siguiente(registro, fecha, extraordinaria)
    agenda = authoring.nueva_sesion(registro, sesion, fecha, hora, extraordinaria, modalidad, sede)
    return _escribir_registro(c.raiz, agenda)


def registros(c: Carpetas) -> Resultado:
    """The records as they are (`datos`), a broken session or meeting record as a warning: the console's list."""
    registro = _cargar(c, [])
    return Resultado(avisos=_avisos_de_otros(registro), datos=registro)


def sesion(c: Carpetas, sesion: str) -> Resultado:
    """The session as recorded now and its rules dictamen (`datos`: registro, dictamen), its own records needed
    valid, without writing anything: what the console shows."""
    registro = _usado(c, sesion)
    return Resultado(avisos=_avisos_de_otros(registro), datos=(registro, rules.dictaminar(registro, sesion)))


def _cambiado(c: Carpetas, rel: str, cambio, usa: Iterable[str]) -> tuple[bytes, object]:
    """The record `rel` with `cambio` applied, in memory, and the records loaded with it (RecordsError, naming
    file, line and field, if they no longer load)."""
    from . import edicion

    leidos = huellas.instantanea(c.raiz)
    if rel not in leidos:
        raise StlError(f"no existe {Path(c.raiz) / rel}")
    nuevo = edicion.aplicar(leidos[rel].decode("utf-8"), cambio, rel).encode("utf-8")
    leidos[rel] = nuevo
    return nuevo, _cargar(c, usa, archivos=leidos)


def ensayar(c: Carpetas, rel: str, cambio, sesion: str) -> Resultado:
    """What the session would be with `cambio` (a vote as it is being taken), without writing: `datos` is
    (registro, dictamen)."""
    _, registro = _cambiado(c, rel, cambio, [sesion])
    return Resultado(datos=(registro, rules.dictaminar(registro, sesion)))


def editar(c: Carpetas, rel: str, base: str, cambio, usa: Iterable[str] = ()) -> Resultado:
    """One change to a record (`edicion`), from a form that read the file when its SHA-256 was `base`: refused
    (ConflictoError, nothing written) if the file changed since, in an editor or from another tab; refused
    (RecordsError) if the records would no longer load; else written atomically, comments and key order kept.
    `datos` is the new SHA-256, for the next form."""
    from . import edicion
    from .errors import ConflictoError
    from .files import bloqueo

    path = Path(c.raiz) / rel
    with bloqueo(Path(c.raiz) / ".consola.lock"):  # one save at a time: compare and write as one step
        actual = path.read_bytes() if path.is_file() else b""
        if edicion.huella(actual) != base:
            raise ConflictoError(
                f"{rel} cambió desde que se abrió esta página (se editó en otro programa o en otra pestaña): no "
                "se guardó su cambio, para no borrar el otro. La página muestra ahora lo que dice el archivo; "
                "vuelva a hacer su cambio"
            )
        nuevo, registro = _cambiado(c, rel, cambio, list(usa))
        write_atomic(c.raiz, rel, nuevo)
    return Resultado((path,), avisos=_avisos_de_otros(registro), datos=edicion.huella(nuevo))


def nueva_reunion(c: Carpetas, fecha, hora, asunto: str, modalidad: str, sede: str) -> Resultado:
    """A working meeting's record, with the roster as attendance to complete."""
    from . import authoring

    registro = _cargar(c, [])
    return _escribir_registro(c.raiz, authoring.nueva_reunion(registro, fecha, hora, modalidad, sede, asunto))


def calendario(c: Carpetas, hoy: dt.date, anio: int | None) -> Resultado:
    """Sessions held and scheduled, the profile's frequency, deadlines and what is pending."""
    from . import authoring
    from .bitacora import leer_bitacora

    registro = _cargar(c, [])
    firmadas = set()
    for sesion in registro.sesiones:
        try:
            bitacora = leer_bitacora(Path(c.firmas) / sesion.id)
        except StlError:
            continue
        if len(bitacora.firmados) == len(bitacora.esperados):
            firmadas.add(sesion.id)
    lineas = authoring.calendario(registro, hoy, anio, frozenset(firmadas))
    return Resultado(lineas=tuple(lineas), avisos=_avisos_de_otros(registro))


def acuerdos(c: Carpetas, pendientes: bool) -> Resultado:
    from . import report

    registro = _cargar(c, [])
    return Resultado(lineas=tuple(report.acuerdos(registro, pendientes)), avisos=_avisos_de_otros(registro))


def asistencia(c: Carpetas) -> Resultado:
    from . import report

    registro = _cargar(c, [])
    return Resultado(lineas=tuple(report.asistencia(registro)), avisos=_avisos_de_otros(registro))


# --- archive and site ------------------------------------------------------------------------------------------


def archivar(
    c: Carpetas, objetivo: str, ahora: dt.datetime, sin_firma: bool, correccion: str | None
) -> Resultado:
    """The session's documents (or the meeting's minuta) copied into the append-only archive with the manifest."""
    from . import archive

    registro = _usado(c, objetivo)
    if not objetivo.startswith("RT-") and rules.aprobacion_del_acta(registro, objetivo) is not None:
        # The approved text, anchored in this same archive, is what the records must still say.
        aprobaciones.revisar(
            registro, objetivo, render.acta(registro, rules.dictaminar(registro, objetivo)), c.archivo
        )
    nuevas = archive.archivar(registro, objetivo, c.firmas, c.archivo, ahora, sin_firma, correccion)
    lineas = []
    for e in nuevas:
        lineas.append(f"{Path(c.archivo) / e.nombre} ({e.estado_firma}, SHA-256 {e.sha256})")
        lineas += [f"  Aviso (anotado en el manifiesto): {aviso}" for aviso in e.avisos]
    if not nuevas:
        lineas.append(f"Nada nuevo: los documentos de {objetivo} ya están archivados.")
    return Resultado(lineas=tuple(lineas), avisos=_avisos_de_otros(registro))


def renovar_sello(c: Carpetas, objetivo: str | None, ahora: dt.datetime, dias: int) -> Resultado:
    """A new archive timestamp (PAdES B-LTA) on each archived signed document whose last one expires within
    `dias`: a new version beside the previous one."""
    from . import archive

    registro = _cargar(c, [objetivo] if objetivo else [])
    nuevas = archive.renovar(registro, c.archivo, ahora, objetivo, dias)
    lineas = [
        f"{Path(c.archivo) / e.nombre} (sello de tiempo renovado; su certificado vence el {e.renovar_antes[:10]})"
        for e in nuevas
    ] or [f"Ningún sello de tiempo de archivo vence dentro de {dias} días: nada que renovar."]
    return Resultado(lineas=tuple(lineas), avisos=_avisos_de_otros(registro))


def publicar(c: Carpetas, sitio: Path, busqueda: bool, avance: Avance = _sin_avance) -> Resultado:
    """The public site from the records and the archive; only pages whose content changed are written again."""
    from . import publish

    carpetas = {"registros": c.raiz, "archivo": c.archivo, "firmas": c.firmas, "salida": c.salida}
    aparte(sitio, "la carpeta del sitio", {f"la carpeta de {k}": Path(v) for k, v in carpetas.items()})
    analizados = records.Analizados(Path(c.salida) / ".cache")
    registro = _cargar(c, [], cache=analizados)
    resultado = publish.publicar(registro, c.archivo, sitio, busqueda, avance)
    analizados.guardar()
    linea = (
        f"Sitio en {sitio}/: {len(resultado.paginas)} páginas generadas, {resultado.omitidas} sin cambios, "
        f"{resultado.documentos} documentos nuevos."
    )
    return Resultado(lineas=(linea,), avisos=_avisos_de_otros(registro))


def exportar_sipot(c: Carpetas, ahora: dt.datetime, anio: int | None, trimestre: int | None) -> Resultado:
    """The sessions, actas and members in the transparency portal's format (XLSX), in the output folder."""
    from . import sipot

    registro = _cargar(c, [])
    path = sipot.exportar(registro, c.archivo, c.salida, ahora, anio, trimestre)
    return Resultado(paths=(path,), avisos=_avisos_de_otros(registro))


__all__ += [
    "acuerdos",
    "archivar",
    "asistencia",
    "calendario",
    "convocatoria",
    "editar",
    "ensayar",
    "exportar_sipot",
    "fe_de_erratas",
    "init",
    "minuta",
    "nueva_reunion",
    "nueva_sesion",
    "orden",
    "publicar",
    "registros",
    "sesion",
]


# --- signatures ------------------------------------------------------------------------------------------------

_DOCUMENTOS = r"acta|minuta|convocatoria|fe-de-erratas-[1-9][0-9]{0,2}"


def clase(c: Carpetas, objetivo: str, documento: str | None, registro=None) -> str:
    """Which document of the session or meeting is meant: «convocatoria», «fe-de-erratas-N», or its own (the acta,
    or the minuta in the profiles whose session record is a minuta, or the meeting's minuta)."""
    import re

    from .bitacora import clase_de

    if documento is not None and not re.fullmatch(_DOCUMENTOS, documento):
        raise StlError(
            f"documento desconocido «{documento}»: se firman «acta» (o «minuta»), «convocatoria» y «fe-de-erratas-N»"
        )
    if registro is None and documento is None and not objetivo.startswith("RT-") and c.registros is not None:
        registro = _cargar(c, [])
    return clase_de(objetivo, documento, registro.perfil.documento if registro is not None else "acta")


def _espacio(c: Carpetas, objetivo: str, clase_: str) -> Path:
    """The document's signature workspace: the session's folder for its own document, a subfolder otherwise."""
    from .bitacora import PROPIOS

    carpeta = subcarpeta(c.firmas, objetivo)
    return carpeta if clase_ in PROPIOS else subcarpeta(carpeta, clase_)


def _firmante(registro, firmante: str) -> None:
    """An id that is no member is said as such, with the closest ids (not «no asistió»)."""
    import difflib

    ids = [p.id for p in registro.stl.integrantes]
    if firmante not in ids:
        parecidos = difflib.get_close_matches(firmante, ids, n=3)
        sugerencia = f" ¿Quiso decir {' o '.join(f'«{p}»' for p in parecidos)}?" if parecidos else ""
        raise StlError(
            f"«{firmante}» no es el id de ningún integrante en stl.yaml ({', '.join(ids)}).{sugerencia}"
        )


def registrar_certificado(c: Carpetas, integrante: str, certificado: Path, ahora: dt.datetime) -> Resultado:
    """The SHA-256 of a member's certificate in certificados.yaml, once it is valid and leads to the roots."""
    from . import report, sign

    registro = _cargar(c, [])
    _firmante(registro, integrante)
    datos = sign.registrar_certificado(c.raiz, registro, integrante, certificado, ahora)
    nombre = registro.stl.integrante(integrante).nombre
    return Resultado(lineas=tuple(report.certificado_registrado(nombre, datos)))


def preparar_firma(c: Carpetas, objetivo: str, documento: str | None, credencial, ahora: dt.datetime):
    """The approved document (as approved) with one field per signatory, certified by who prepares it; the
    ledger starts. `credencial()` opens the certifier's credential (it may ask for a password)."""
    from . import sign

    registro = _usado(c, objetivo)
    clase_ = clase(c, objetivo, documento, registro)
    workspace = _espacio(c, objetivo, clase_)
    with credencial() as cred:
        bitacora = sign.preparar(registro, objetivo, workspace, cred, ahora, clase_, c.firmas, c.archivo)
    lineas = [
        str(workspace / bitacora.actual.archivo),
        f"Firmantes esperados: {', '.join(e.nombre for e in bitacora.esperados)}",
    ]
    if bitacora.codigo:
        lineas.append(f"Código de verificación impreso en cada página: {bitacora.codigo}")
    if bitacora.actual.firmante:  # the preparer is a signatory: the certification is their signature
        quien = bitacora.esperado(bitacora.actual.firmante).nombre
        lineas.append(
            f"La certificación es la firma de {quien} (su certificado registrado): no firma otra vez."
        )
    lineas += _siguiente(workspace)
    return Resultado((workspace / bitacora.actual.archivo,), tuple(lineas), _avisos_de_otros(registro))


def firmar(
    c: Carpetas, objetivo: str, documento: str | None, firmante: str, credencial, ahora: dt.datetime
) -> Resultado:
    """One member's signature on the current version: a new file, never over a signed one."""
    from . import sign
    from .bitacora import leer_bitacora

    registro = _usado(c, objetivo)
    _firmante(registro, firmante)
    clase_ = clase(c, objetivo, documento, registro)
    workspace = _espacio(c, objetivo, clase_)
    # The version seen before the password prompt: if another member signs meanwhile, this is refused as
    # stale instead of silently signing a version the member did not see.
    vista = leer_bitacora(workspace, clase_).actual.numero
    with credencial() as cred:
        version = sign.firmar(registro, workspace, firmante, cred, ahora, version_esperada=vista)
    return Resultado(
        (workspace / version.archivo,), (str(workspace / version.archivo), *_siguiente(workspace))
    )


def firmar_archivo(
    origen: Path, firmante: str, credencial, tsa: str | None, destino: Path | None
) -> Resultado:
    """A copy signed on the member's own computer, without records."""
    from . import sign

    destino = destino or origen.with_name(f"{origen.stem}.firmado-{firmante}.pdf")
    with credencial() as cred:
        path = sign.firmar_archivo(origen, firmante, cred, tsa, destino)
    return Resultado((Path(path),), (str(path),))


def incorporar(c: Carpetas, objetivo: str, archivo: Path, documento: str | None, ahora: dt.datetime):
    """A copy signed elsewhere, accepted only as the current version plus exactly one member's signature."""
    from . import sign

    registro = _usado(c, objetivo)
    clase_ = clase(c, objetivo, documento, registro)
    workspace = _espacio(c, objetivo, clase_)
    version, avisos = sign.incorporar(registro, workspace, archivo, ahora)
    lineas = [str(workspace / version.archivo)]
    lineas += [
        f"Aviso: {a}. Para conservar el PDF/A, el integrante puede firmar con «stl firmar»." for a in avisos
    ]
    return Resultado((workspace / version.archivo,), (*lineas, *_siguiente(workspace)))


def _siguiente(workspace: Path) -> tuple[str, ...]:
    """Who signs next (each signature covers the previous ones: one member at a time), or that all signed."""
    from .bitacora import PROPIOS, concuerda, leer_bitacora

    bitacora = leer_bitacora(workspace)
    siguiente = bitacora.siguiente
    if siguiente is None:
        return (
            f"Firmaron todos: {bitacora.nombre} de {bitacora.sesion} está {concuerda(bitacora.clase, 'complet')}. "
            f"Verifíquel{concuerda(bitacora.clase, '')}: «stl verificar {bitacora.sesion}».",
        )
    faltan = len(bitacora.esperados) - len(bitacora.firmados)
    envio = (
        f" «stl enviar firma {bitacora.sesion}» le envía la versión actual con el enlace a la página de firma."
        if bitacora.clase in PROPIOS
        else ""
    )
    return (
        f"Sigue: {siguiente.nombre} ({siguiente.id}); faltan {faltan} de {len(bitacora.esperados)}.{envio}",
    )


def estado(c: Carpetas, objetivo: str, documento: str | None) -> Resultado:
    """Who signed, when and with which certificate; who is missing."""
    from . import report, spanish
    from .bitacora import espacio, leer_bitacora

    registro = _cargar(c, []) if c.registros is not None and (c.raiz / "stl.yaml").is_file() else None
    zona = registro.stl.zona_horaria if registro is not None else spanish.ZONA_HORARIA  # local time
    if registro is not None:
        _objetivo(registro, objetivo)  # «no hay registro de la sesión», not «prepárela primero»
    clase_ = clase(c, objetivo, documento, registro)
    bitacora = leer_bitacora(espacio(c.firmas, objetivo, clase_), clase_)
    return Resultado(lineas=tuple(report.estado_firmas(bitacora, zona)))


def verificar(
    c: Carpetas, objetivo: str, documento: str | None, raices: tuple[Path, ...], sitio: str | None = None
) -> Resultado:
    """Every signature checked, every expected signer exactly once; the report (`datos`), failing or not. A PDF
    that is a published versión pública (or says it is one) is checked against what was published instead: the
    archive's manifest, or the site at `sitio` (`version_publica`)."""
    from . import verify, version_publica

    if documento is not None:
        clase(c, objetivo, documento)
    elif objetivo.lower().endswith(".pdf") and Path(objetivo).is_file():
        publicados = version_publica.publicados(c.archivo, sitio)
        publica = version_publica.reconocer(Path(objetivo).read_bytes(), objetivo, publicados, c.archivo)
        if publica is not None:
            return Resultado(datos=publica)
    registros = c.registros if c.registros is not None else Path("records")
    informe = verify.verificar_objetivo(registros, c.firmas, objetivo, raices, documento)
    return Resultado(datos=informe)


# --- e-mail ----------------------------------------------------------------------------------------------------


def enviar(
    que: str, c: Carpetas, sesion: str, ahora: dt.datetime, entrega, sin_firma: bool = False
) -> Resultado:
    """The convocatoria, the draft, the acta for the next signer or the signed acta (a working meeting's minuta,
    for the last two), by e-mail (`entrega` says whether to send or write .eml files, with which password and
    progress); the `distribute.Informe` in `datos`."""
    from . import distribute

    registro = _usado(c, sesion)
    if que == "convocatoria":
        informe = distribute.enviar_convocatoria(registro, sesion, c.salida, ahora, entrega, c.firmas)
    elif que == "borrador":
        informe = distribute.enviar_borrador(registro, sesion, c.salida, ahora, entrega)
    elif que == "firma":
        informe = distribute.enviar_firma(registro, sesion, c.salida, c.firmas, ahora, entrega)
    else:
        informe = distribute.enviar_acta(registro, sesion, c.salida, c.firmas, ahora, entrega, sin_firma)
    avisos = _avisos_de_otros(registro)
    # A session's acta sent unsigned is frozen as `stl acta` does; a working meeting's minuta has no approval.
    acta = que == "acta" and not sesion.startswith("RT-")
    if acta and sin_firma and rules.aprobacion_del_acta(registro, sesion) is not None:
        doc = render.acta(registro, rules.dictaminar(registro, sesion))  # the same freeze as `stl acta`
        avisos = _vigilar(registro, sesion, doc, None, c.archivo)[1] + avisos
    return Resultado(tuple(informe.documentos), avisos=avisos, datos=informe)


__all__ += [
    "clase",
    "enviar",
    "estado",
    "firmar",
    "firmar_archivo",
    "incorporar",
    "preparar_firma",
    "registrar_certificado",
    "verificar",
]
