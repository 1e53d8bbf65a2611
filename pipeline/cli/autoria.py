"""`stl init`, `nueva-sesion`, `nueva-reunion`, `calendario`, `acuerdos`, `asistencia`, `vista-previa`,
`consola`: the Facilitador's records, written and read back."""

from __future__ import annotations

from pathlib import Path

import click

from .. import operations
from ..errors import error_boundary
from .raiz import main
from .runtime import FECHA, HORA, ahora, carpetas, mostrar


@main.command(options_metavar="[OPCIONES]", short_help="Escribe los registros de un STL nuevo.")
@click.argument("carpeta", metavar="CARPETA", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--perfil",
    required=True,
    metavar="PERFIL",
    help="edomex, zacatecas, jalisco, o la ruta de un perfil propio (PERFIL.yaml, ver perfil.schema.json).",
)
@click.pass_obj
def init(obj: dict, carpeta: Path, perfil: str) -> None:
    """Escribe en CARPETA los registros de un Secretariado Técnico Local nuevo: stl.yaml con los lugares del
    perfil (sectores, quién preside, el Facilitador) para llenar, el registro de folios, las carpetas
    sesiones/ y reuniones/ y una copia de los esquemas (esquemas/), que cada registro nombra con una ruta relativa
    para el editor. Para empezar un perfil propio: «stl perfil jalisco > mi-perfil.yaml». Un perfil propio se
    copia a CARPETA/perfiles/ y se valida contra su esquema, así que otro estado no necesita código. Nunca
    escribe sobre una carpeta con contenido."""
    with error_boundary(obj["verbose"]):
        resultado = operations.init(carpeta, perfil)
    mostrar(resultado)


@main.command(
    options_metavar="[OPCIONES]", short_help="Muestra un perfil incluido, comentado, para empezar el suyo."
)
@click.argument("perfil", metavar="PERFIL")
@click.pass_obj
def perfil(obj: dict, perfil: str) -> None:
    """Escribe en la salida el perfil de gobernanza incluido PERFIL (edomex, zacatecas o jalisco), con cada campo
    explicado en un comentario, para empezar el de un STL de otro estado:

    stl perfil jalisco > oaxaca.yaml; después de editarlo, stl init CARPETA --perfil oaxaca.yaml"""
    from .. import perfiles

    with error_boundary(obj["verbose"]):
        click.echo(perfiles.comentado(perfil), nl=False)


def _modalidad_y_sede(comando):
    """--modalidad and --sede, the same for a session and a working meeting."""
    comando = click.option(
        "--sede",
        default="Plataforma virtual Zoom",
        show_default=True,
        metavar="TEXTO",
        help="Lugar o plataforma, sin artículo (p. ej. «Sala de Juntas del Infoem», «Plataforma virtual Zoom»).",
    )(comando)
    return click.option(
        "--modalidad",
        type=click.Choice(["virtual", "presencial"]),
        default="virtual",
        show_default=True,
        help="Presencial o virtual.",
    )(comando)


@main.command(
    "nueva-sesion", options_metavar="[OPCIONES]", short_help="Escribe el registro de la siguiente sesión."
)
@click.argument("sesion", metavar="SESION")
@click.option("--fecha", required=True, type=FECHA, metavar="AAAA-MM-DD", help="Fecha de la sesión.")
@click.option("--hora", required=True, type=HORA, metavar="HH:MM", help="Hora de inicio.")
@click.option("--extraordinaria", is_flag=True, help="Sesión extraordinaria (su propia numeración y plazo).")
@_modalidad_y_sede
@click.pass_obj
def nueva_sesion(
    obj: dict, sesion: str, fecha, hora, extraordinaria: bool, modalidad: str, sede: str
) -> None:
    """Escribe sesiones/SESION.yaml prellenado: número y tipo, quién convoca y el orden del día del perfil
    (aprobación del acta pendiente, seguimiento de acuerdos; en Zacatecas, el orden del Art. 8). Dice el último
    día para emitir la convocatoria y nunca sobrescribe un registro."""
    with error_boundary(obj["verbose"]):
        resultado = operations.nueva_sesion(
            carpetas(obj), sesion, fecha, hora, extraordinaria, modalidad, sede
        )
    mostrar(resultado)


@main.command(
    "nueva-reunion", options_metavar="[OPCIONES]", short_help="Escribe el registro de una reunión de trabajo."
)
@click.option("--fecha", required=True, type=FECHA, metavar="AAAA-MM-DD", help="Fecha.")
@click.option("--hora", required=True, type=HORA, metavar="HH:MM", help="Hora de inicio.")
@click.option("--asunto", required=True, metavar="TEXTO", help="Para qué se reúnen.")
@_modalidad_y_sede
@click.pass_obj
def nueva_reunion(obj: dict, fecha, hora, asunto: str, modalidad: str, sede: str) -> None:
    """Escribe reuniones/RT-AAAA-MM-DD.yaml con el padrón como asistencia, para completar y generar la minuta."""
    with error_boundary(obj["verbose"]):
        resultado = operations.nueva_reunion(carpetas(obj), fecha, hora, asunto, modalidad, sede)
    mostrar(resultado)


@main.command(options_metavar="[OPCIONES]", short_help="Sesiones, plazos y pendientes del STL.")
@click.option("--anio", type=int, metavar="AAAA", help="Solo las sesiones de ese año.")
@click.pass_obj
def calendario(obj: dict, anio: int | None) -> None:
    """Sesiones celebradas y programadas, si se cumple la frecuencia mínima del perfil, la fecha límite de la próxima
    sesión, actas por aprobar o por firmar e integrantes cerca del límite de ausencias consecutivas."""
    with error_boundary(obj["verbose"]):
        mostrar(operations.calendario(carpetas(obj), ahora().astimezone().date(), anio))


@main.command(options_metavar="[OPCIONES]", short_help="Acuerdos con responsable, fecha límite y estado.")
@click.option("--pendientes", is_flag=True, help="Solo los pendientes y en proceso.")
@click.pass_obj
def acuerdos(obj: dict, pendientes: bool) -> None:
    """Lista cada acuerdo con su responsable, fecha límite y estado (pendiente, en proceso, cumplido, cancelado),
    según seguimiento.yaml."""
    with error_boundary(obj["verbose"]):
        mostrar(operations.acuerdos(carpetas(obj), pendientes))


@main.command(options_metavar="[OPCIONES]", short_help="Historial de asistencia de cada integrante.")
@click.pass_obj
def asistencia(obj: dict) -> None:
    """Por cada titular, las sesiones a las que asistió (o en que lo suplieron) y las que faltó."""
    with error_boundary(obj["verbose"]):
        mostrar(operations.asistencia(carpetas(obj)))


@main.command(
    "vista-previa", options_metavar="[OPCIONES]", short_help="Muestra el acta o minuta mientras se escribe."
)
@click.argument("objetivo", metavar="SESION|REUNION")
@click.option("--puerto", type=int, default=8765, show_default=True, metavar="N", help="Puerto en 127.0.0.1.")
@click.option(
    "--pdf", is_flag=True, help="Muestra las páginas del PDF como imágenes (solo se rehace lo que cambió)."
)
@click.pass_obj
def vista_previa(obj: dict, objetivo: str, puerto: int, pdf: bool) -> None:
    """Sirve en http://127.0.0.1:PUERTO/ el acta de SESION o la minuta de REUNION y la recarga en el navegador cada
    vez que cambia un registro o una plantilla; si el registro tiene errores, los muestra en la página, y si el
    acta aprobada ya no es su texto aprobado, lo advierte. No escribe nada. Ctrl+C para terminar."""
    from .. import preview

    with error_boundary(obj["verbose"]):
        server = preview.servir(
            preview.Vista(carpetas(obj).raiz, objetivo, pdf, carpetas(obj).archivo), puerto
        )
        click.echo(f"Vista previa en http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C para terminar)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


@main.command(options_metavar="[OPCIONES]", short_help="Abre la consola del Facilitador en el navegador.")
@click.option(
    "--puerto", type=int, default=0, metavar="N", help="Puerto en 127.0.0.1 (por omisión, uno libre)."
)
@click.pass_obj
def consola(obj: dict, puerto: int) -> None:
    """Sirve en http://127.0.0.1:PUERTO/ la consola del Facilitador: antes de la sesión (la siguiente sesión,
    su orden del día, la convocatoria con sus días hábiles, el oficio y su envío, los integrantes), durante (pase
    de lista con llegadas y salidas, quórum, notas de cada punto, votaciones integrante por integrante con su
    resultado y el voto de calidad, la hora de cierre) y después (las intervenciones con las páginas del acta al
    lado, cada error junto a su campo, la aprobación y la ronda de firmas). Escribe en los registros (YAML, con sus
    comentarios) de forma atómica y nunca sobre un cambio hecho en otro programa o pestaña. Solo responde en
    127.0.0.1 a la dirección con el token que muestra al abrirse. Ctrl+C para terminar."""
    from ..consola import servidor

    with error_boundary(obj["verbose"]):
        consola_ = servidor.servir(carpetas(obj), puerto, verbose=obj["verbose"], fondo=False)
        click.echo(f"Consola del Facilitador en {consola_.url}")
        click.echo(
            "Abra esa dirección en su navegador (lleva el token de esta sesión). Ctrl+C para terminar."
        )
        try:
            consola_.servidor.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            consola_.servidor.server_close()
