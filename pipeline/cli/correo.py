"""`stl enviar convocatoria|borrador|firma|acta`: the four e-mails, one operation (a working meeting's minuta
goes by the last two)."""

from __future__ import annotations

import os

import click

from .. import operations
from ..errors import StlError, error_boundary
from .raiz import main
from .runtime import Avance, ahora, carpetas


@main.group(
    options_metavar="[OPCIONES]",
    subcommand_metavar="COMANDO [ARGUMENTOS]...",
    short_help="Envía por correo la convocatoria, el borrador, el acta o la minuta, o la versión para firma.",
)
def enviar() -> None:
    """Envía por correo la convocatoria de una sesión (el oficio firmado, si quien convoca lo firmó), el
    borrador del acta para las observaciones de quienes asistieron, el acta firmada a cada integrante, o el acta a
    quien sigue en firmarla, con el enlace a la página de firma.

    Con el ID de una reunión de trabajo (RT-AAAA-MM-DD), «firma» y «acta» envían su minuta: a quien sigue en
    firmarla y, firmada por todos, a cada integrante. Una reunión de trabajo no tiene convocatoria ni borrador.

    En la terminal muestra el avance, mensaje por mensaje. El servidor se configura en la sección «correo» de
    stl.yaml; la contraseña se toma solo de la variable
    STL_SMTP_CONTRASENA. Cada mensaje aceptado se anota en envios.yaml (con el id del integrante, nunca
    su dirección): al repetir el comando no se envía nada dos veces y, tras una falla, solo lo que faltó.
    """


_SIMULAR = click.option(
    "--simular",
    is_flag=True,
    help="No envía: escribe cada mensaje como archivo .eml en SALIDA/ID/correo/ (sin conectarse ni anotar).",
)


_REENVIAR = click.option(
    "--reenviar-sin-confirmacion",
    "reenviar",
    is_flag=True,
    help="Envía otra vez los mensajes anotados «enviado sin confirmación» (el servidor los recibió completos y "
    "cerró la conexión antes de confirmar), con el mismo Message-ID: úselo si no llegaron.",
)


def _enviar(
    obj: dict, que: str, etiqueta: str, sesion: str, simular: bool, reenviar: bool, sin_firma: bool = False
) -> None:
    from .. import distribute  # here, not at the top: other commands need not load e-mail and iCalendar

    with error_boundary(obj["verbose"]):
        with Avance(etiqueta) as avance:
            contrasena = os.environ.get("STL_SMTP_CONTRASENA")
            entrega = distribute.Entrega(
                simular=simular, contrasena=contrasena, avance=avance, reenviar=reenviar
            )
            resultado = operations.enviar(que, carpetas(obj), sesion, ahora(), entrega, sin_firma)
        for aviso in resultado.avisos:
            click.echo(f"Advertencia: {aviso}", err=True)
        _informe(resultado.datos)


def _informe(informe) -> None:
    """Print what a run of `stl enviar` did; fail (exit 1) after printing if some message was refused."""
    for e in informe.entregados:
        m = e.mensaje
        quien = f"{m.integrante.nombre} ({m.integrante.id})"
        if informe.simulado:
            click.echo(f"Para {quien}, sin enviar (simulación): {e.eml}")
        else:
            click.echo(f"Enviado a {quien}: {e.message_id}")
        click.echo(f"  Asunto: {m.asunto}")
        click.echo(f"  Adjuntos: {', '.join(a.nombre for a in m.adjuntos)}")
    for e in informe.sin_confirmar:
        quien = f"{e.mensaje.integrante.nombre} ({e.mensaje.integrante.id})"
        click.echo(f"Enviado sin confirmación a {quien}: {e.message_id}")
    for path in informe.documentos:
        click.echo(path)
    for aviso in informe.advertencias:
        click.echo(f"Advertencia: {aviso}", err=True)
    for aviso in informe.por_confirmar:
        click.echo(
            f"Advertencia: anotado «enviado sin confirmación», no se reenvía sin --reenviar-sin-confirmacion: {aviso}",
            err=True,
        )
    n = len(informe.entregados)
    verbo = "se escribieron" if informe.simulado else "se enviaron"
    click.echo(f"{verbo.capitalize()} {n} mensaje(s); {informe.ya_enviados} ya se habían enviado antes.")
    if informe.simulado:
        click.echo("Simulación: no se conectó con ningún servidor ni se anotó nada en el registro de envíos.")
    if informe.problemas:
        raise StlError(informe.problemas)


@enviar.command(
    "convocatoria", options_metavar="[OPCIONES]", short_help="Envía la convocatoria de una sesión."
)
@click.argument("sesion", metavar="SESION")
@_SIMULAR
@_REENVIAR
@click.pass_obj
def enviar_convocatoria(obj: dict, sesion: str, simular: bool, reenviar: bool) -> None:
    """Envía la convocatoria de la SESION a cada destinatario que señala el perfil, con el oficio y el orden
    del día adjuntos y una invitación de calendario.

    Si la fecha, la hora o el lugar cambiaron desde el último envío, envía una actualización de la invitación a
    todos; si la sesión tiene «cancelada», envía la cancelación (en Zacatecas, con al menos 24 horas de
    anticipación, Art. 7.4: si no, lo advierte). Quien no tiene correo registrado se señala con una advertencia.
    Una reunión de trabajo (RT-…) no se convoca por oficio: no tiene convocatoria que enviar.
    """
    _enviar(obj, "convocatoria", "Enviando la convocatoria", sesion, simular, reenviar)


@enviar.command(
    "borrador", options_metavar="[OPCIONES]", short_help="Envía el borrador del acta para observaciones."
)
@click.argument("sesion", metavar="SESION")
@_SIMULAR
@_REENVIAR
@click.pass_obj
def enviar_borrador(obj: dict, sesion: str, simular: bool, reenviar: bool) -> None:
    """Envía a quienes asistieron a la SESION el borrador de su acta (marcado «BORRADOR» en cada página),
    para que hagan llegar sus observaciones antes de aprobarla.

    Las observaciones se anotan en el registro de la sesión («observaciones»: integrante, fecha, texto,
    aceptada y, si no se tomó, motivo); en los perfiles cuya práctica lo hace, el acuerdo que aprueba el acta
    las menciona. Un borrador nuevo (tras corregir) se envía otra vez; el mismo, no. Se niega si el acta ya está
    aprobada: entonces una corrección es una fe de erratas. La minuta de una reunión de trabajo (RT-…) no tiene
    borrador: se revisa con «stl minuta» y se envía a firmar con «stl enviar firma».
    """
    _enviar(obj, "borrador", "Enviando el borrador", sesion, simular, reenviar)


@enviar.command(
    "firma",
    options_metavar="[OPCIONES]",
    short_help="Envía el acta o la minuta a quien sigue en firmarla, con el enlace.",
)
@click.argument("sesion", metavar="SESION|REUNION")
@_SIMULAR
@_REENVIAR
@click.pass_obj
def enviar_firma(obj: dict, sesion: str, simular: bool, reenviar: bool) -> None:
    """Envía la versión actual del acta de la SESION (o de la minuta de la reunión de trabajo RT-…) al siguiente
    firmante que no la ha firmado, con el enlace a la página de firma del sitio (sitio/firmar/) e instrucciones
    breves.

    Se firma de uno en uno: después de cada «stl incorporar», vuelva a ejecutarlo para el siguiente. La misma
    versión no se envía dos veces a la misma persona.
    """
    _enviar(obj, "firma", "Enviando la versión actual para firma", sesion, simular, reenviar)


@enviar.command(
    "acta", options_metavar="[OPCIONES]", short_help="Envía el acta (o la minuta) firmada a cada integrante."
)
@click.argument("sesion", metavar="SESION|REUNION")
@click.option(
    "--sin-firma",
    is_flag=True,
    help="Si el acta o la minuta aún no tiene todas las firmas, la envía sin firmar (el mensaje lo dice).",
)
@_SIMULAR
@_REENVIAR
@click.pass_obj
def enviar_acta(obj: dict, sesion: str, sin_firma: bool, simular: bool, reenviar: bool) -> None:
    """Envía a cada integrante del STL una copia del acta de la SESION: la versión actual de FIRMAS/SESION/,
    firmada por todos los que deben firmarla (000 Cap. VI.8; 001 Art. 7.6; 002 V.8).

    Con una REUNION (RT-AAAA-MM-DD) envía su minuta, de FIRMAS/REUNION/, firmada por quienes asistieron: a
    cada integrante, como el acta (000 Cap. VI.8; 002 V.8), y a quien asistió sin serlo.

    Se niega a enviar un acta o una minuta sin todas sus firmas, salvo con --sin-firma.
    """
    _enviar(obj, "acta", "Enviando las copias", sesion, simular, reenviar, sin_firma)
