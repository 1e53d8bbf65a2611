"""`stl registrar-certificado`, `preparar-firma`, `firmar`, `incorporar`, `estado`, `verificar`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import operations
from ..errors import StlError, error_boundary
from .raiz import main
from .runtime import ahora, carpetas, credencial, credential_options, mostrar

_DOCUMENTO = click.option(
    "--documento",
    metavar="DOCUMENTO",
    help="Qué documento: «convocatoria» (el oficio), «fe-de-erratas-N»; si no, el acta de la sesión (la minuta, "
    "en los perfiles cuyo registro de sesión es una minuta) o la minuta de la reunión de trabajo RT-….",
)


@main.command(
    "registrar-certificado",
    options_metavar="[OPCIONES]",
    short_help="Registra el certificado de un integrante.",
)
@click.argument("integrante", metavar="INTEGRANTE")
@click.argument(
    "certificado", metavar="ARCHIVO", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.pass_obj
def registrar_certificado(obj: dict, integrante: str, certificado: Path) -> None:
    """Registra en certificados.yaml (en la carpeta de registros) el certificado (.cer DER o PEM) con que firma
    el INTEGRANTE, p. ej. el .cer de su e.firma del SAT.

    Antes comprueba que esté vigente y que lleve a las raíces de confianza de stl.yaml (firma.raices), como al
    firmar, y que su titular sea el INTEGRANTE (sin distinguir acentos ni mayúsculas; no uno que solo se le
    parezca). Muestra titular, RFC (enmascarado), número de certificado y vigencia. Solo con ese certificado se
    acepta su firma. Se guarda la huella SHA-256, nunca la llave privada.
    """
    with error_boundary(obj["verbose"]):
        mostrar(operations.registrar_certificado(carpetas(obj), integrante, certificado, ahora()))


@main.command("preparar-firma", options_metavar="[OPCIONES]", short_help="Prepara un documento para firma.")
@click.argument("objetivo", metavar="SESION|REUNION")
@_DOCUMENTO
@credential_options
@click.pass_obj
def preparar_firma(obj: dict, objetivo: str, documento: str | None, **medio) -> None:
    """Prepara para firma el acta aprobada de la SESION, la minuta de la REUNION (RT-…), el oficio de
    convocatoria (--documento convocatoria) o una fe de erratas (--documento fe-de-erratas-N): un campo de
    firma por firmante y la firma de certificación.

    El acta debe tener su aprobación registrada (un acuerdo de una sesión posterior o «aprobacion» en su
    registro) y ser el texto aprobado: la primera vez se registra su SHA-256 en aprobaciones.yaml; si después
    cambia, se rechaza nombrando las secciones que cambiaron (una corrección es una fe de erratas). Con la
    dirección del sitio en stl.yaml (sitio.url), cada página lleva el código de verificación y el código QR a su
    página pública. Quien prepara (normalmente quien dirige las sesiones: el Facilitador, o quien preside el STL
    donde no lo hay) certifica el documento con su credencial: después solo se permite llenar campos y firmar.
    """
    with error_boundary(obj["verbose"]):
        abrir = credencial(**medio)
        mostrar(operations.preparar_firma(carpetas(obj), objetivo, documento, abrir, ahora()))


@main.command(
    options_metavar="[OPCIONES]", short_help="Firma un documento con la credencial de un integrante."
)
@click.argument("objetivo", metavar="SESION|REUNION|ARCHIVO.pdf")
@click.option("--firmante", required=True, metavar="ID", help="Id del integrante que firma.")
@_DOCUMENTO
@click.option(
    "--tsa",
    envvar="STL_TSA",
    metavar="URL",
    help="Sello de tiempo (solo al firmar un archivo fuera de los registros).",
)
@click.option(
    "--salida-firmada",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Copia firmada (al firmar un archivo).",
)
@credential_options
@click.pass_obj
def firmar(
    obj: dict,
    objetivo: str,
    firmante: str,
    documento: str | None,
    tsa: str | None,
    salida_firmada: Path | None,
    **medio,
) -> None:
    """Firma la versión actual del acta de SESION (o de otro documento, con --documento), de la minuta de la
    REUNION, o una copia ARCHIVO.pdf en la máquina de quien firma.

    La contraseña o el PIN se piden en pantalla o se toman de STL_CONTRASENA / STL_PIN, nunca de un argumento.
    Se rechaza a quien no firma el documento (no asistió; en un oficio, quien no lo emite), un certificado
    distinto del registrado, caducado o revocado, y una segunda firma de la misma persona. Cada firma es un
    archivo nuevo: ningún PDF firmado se sobrescribe.
    """
    with error_boundary(obj["verbose"]):
        abrir = credencial(**medio)
        if objetivo.lower().endswith(".pdf"):
            resultado = operations.firmar_archivo(Path(objetivo), firmante, abrir, tsa, salida_firmada)
        else:
            resultado = operations.firmar(carpetas(obj), objetivo, documento, firmante, abrir, ahora())
    mostrar(resultado)


@main.command(options_metavar="[OPCIONES]", short_help="Incorpora una copia firmada en otra máquina.")
@click.argument("objetivo", metavar="SESION|REUNION")
@click.argument(
    "archivo", metavar="ARCHIVO.pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@_DOCUMENTO
@click.pass_obj
def incorporar(obj: dict, objetivo: str, archivo: Path, documento: str | None) -> None:
    """Acepta ARCHIVO.pdf solo si es la versión actual del documento más exactamente la firma de un integrante."""
    with error_boundary(obj["verbose"]):
        mostrar(operations.incorporar(carpetas(obj), objetivo, archivo, documento, ahora()))


@main.command(options_metavar="[OPCIONES]", short_help="Quién ha firmado un documento y quién falta.")
@click.argument("objetivo", metavar="SESION|REUNION")
@_DOCUMENTO
@click.pass_obj
def estado(obj: dict, objetivo: str, documento: str | None) -> None:
    """Muestra quién firmó el acta de la SESION (o la minuta de la REUNION, u otro documento con --documento),
    cuándo y con qué certificado, y quién falta."""
    with error_boundary(obj["verbose"]):
        mostrar(operations.estado(carpetas(obj), objetivo, documento))


@main.command(options_metavar="[OPCIONES]", short_help="Verifica las firmas de un documento.")
@click.argument("objetivo", metavar="SESION|REUNION|ARCHIVO.pdf")
@_DOCUMENTO
@click.option("--json", "como_json", is_flag=True, help="Informe en JSON.")
@click.option(
    "--raiz",
    "raices",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Certificado raíz de confianza (si no, los de stl.yaml).",
)
@click.option(
    "--sitio",
    metavar="URL|CARPETA",
    help="Sitio publicado del STL: una versión pública se comprueba contra sus datos abiertos (si no, el archivo).",
)
@click.pass_obj
def verificar(
    obj: dict,
    objetivo: str,
    documento: str | None,
    como_json: bool,
    raices: tuple[Path, ...],
    sitio: str | None,
) -> None:
    """Verifica cada firma (integridad, cadena de confianza, revocación, sello de tiempo, cambios posteriores)
    y que cada firmante esperado firme exactamente una vez. Revisa todas antes de fallar (salida ≠ 0).

    La versión pública de un documento firmado (la que publica el sitio, sin firmas) se reconoce y se comprueba
    contra lo publicado: su SHA-256 y el del original del que viene, según el manifiesto del archivo o los datos
    abiertos del sitio (--sitio); el informe dice qué firmas reporta su constancia y cómo solicitar el original."""
    from .. import report

    with error_boundary(obj["verbose"]):
        informe = operations.verificar(carpetas(obj), objetivo, documento, raices, sitio).datos
        if como_json:
            click.echo(json.dumps(informe.como_dict(), ensure_ascii=False, indent=2))
        else:
            click.echo("\n".join(report.verificacion(informe)))
        if not informe.ok:
            raise StlError("la verificación falló: " + "; ".join(informe.todos))
