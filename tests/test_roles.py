"""Role words from the profile and the roster: who conducts, convenes, drafts and signs, and what the session's
record is called (000 Cap. XI; 001 Art. 7.5, 9.1 y 9.3; 002 VII.1 y VII.8), on the example STLs."""

from __future__ import annotations

from pipeline import render, rules, wording
from pipeline.models import Calidad


def _acta(registro, sesion="I-2021"):
    return render.acta(registro, rules.dictaminar(registro, sesion))


def _texto(documento) -> str:
    """Every sentence of a document, as its templates receive them."""
    return " ".join(" ".join(str(v).split()) for v in _valores(documento))


def _valores(valor):
    if isinstance(valor, str):
        yield valor
    elif isinstance(valor, tuple):
        for v in valor:
            yield from _valores(v)
    elif hasattr(valor, "__dataclass_fields__"):
        for nombre in valor.__dataclass_fields__:
            yield from _valores(getattr(valor, nombre))


def test_jalisco_has_no_facilitador_and_names_who_presides(registro_jalisco):
    sesion = registro_jalisco.sesion("I-2021")
    acta = _acta(registro_jalisco)
    oficio = render.convocatoria(registro_jalisco, sesion, "STL/001/2021")
    for documento in (acta, render.orden(registro_jalisco, sesion), oficio):
        texto = _texto(documento)
        assert "Facilitador" not in texto and "quien preside" not in texto.lower(), texto
        assert "por parte de la Presidenta del Secretariado Técnico Local, para la apertura" in texto
    texto = _texto(acta)
    assert texto.lower().count("la presidenta del itei y del stl, ana lucía herrera cortés") >= 3
    assert "la Presidenta del STL procedió a recabar la votación" in texto


def test_the_edomex_acta_still_names_the_facilitador(registro_edomex):
    texto = _texto(_acta(registro_edomex, "IV-2020"))
    assert "por parte del Facilitador del Secretariado Técnico Local, para la apertura" in texto
    assert "convocados por el Facilitador C. Rafael Funes Díaz" in texto
    assert "quien preside" not in texto.lower()


def test_zacatecas_calls_its_session_record_a_minuta(registro_zacatecas):
    acta = _acta(registro_zacatecas)
    assert acta.titulo.startswith("Minuta de la Primera Sesión Ordinaria del Secretariado Técnico Local")
    assert acta.pie.startswith("Esta hoja corresponde a la Minuta de la Primera Sesión Ordinaria")
    assert acta.encabezado_firmas.startswith("Minuta de la Primera Sesión Ordinaria")
    texto = _texto(acta)
    assert "Aprobación de la Minuta de la Sesión de Instalación" in texto
    assert "se aprueba por unanimidad de votos la Minuta de la Sesión de Instalación" in texto
    assert (
        "de la cual la Facilitadora del Secretariado Técnico Local, Silvia Acevedo Rentería, levanta acta "
        "circunstanciada, firmando al margen y al calce de la presente minuta" in texto
    )
    assert "presente acta" not in texto and "Acta de" not in texto


def test_who_conducts_comes_from_the_profile(registro_edomex, registro_jalisco, registro_zacatecas):
    fecha = registro_jalisco.sesion("I-2021").fecha
    assert wording.dirige(registro_jalisco, fecha).id == "garante"
    assert wording.dirige(registro_zacatecas, fecha).id == "facilitadora"
    assert wording.dirige(registro_edomex, fecha).id == "funes"
    assert not registro_jalisco.perfil.con_facilitador and registro_zacatecas.perfil.con_facilitador


def test_without_the_facilitador_who_presides_conducts_by_cargo_and_name(tmp_path):
    """The Facilitadora is absent and the roster marks who presides: the acta names her, never «quien preside»."""
    import shutil

    from builders import ROOT
    from pipeline import records

    root = tmp_path / "zacatecas"
    shutil.copytree(ROOT / "records-ejemplos/zacatecas", root)
    stl = root / "stl.yaml"
    stl.write_text(
        stl.read_text("utf-8").replace(
            "    calidad: titular\n", "    calidad: titular\n    preside: true\n", 1
        )
    )
    sesion = root / "sesiones/I-2021.yaml"
    sesion.write_text(sesion.read_text("utf-8").replace("  - facilitadora\n", ""), "utf-8")
    acta = _acta(records.load(root))
    texto = _texto(acta)
    assert "quien preside" not in texto.lower()
    # The acta says she was absent and who conducted in her absence; it names her nowhere else.
    assert (
        "En ausencia de la Facilitadora del Secretariado Técnico Local, Silvia Acevedo Rentería, condujo la sesión "
        "la Comisionada Presidenta del IZAI, Norma Elena Ríos Valdez, quien en uso de la voz procedió al pase"
        in texto
    )
    assert "Se hace constar la inasistencia de Lorena Castañeda Félix" in texto
    assert "y Silvia Acevedo Rentería, Facilitadora del Secretariado Técnico Local." in texto
    assert _texto(acta.secciones).count("Facilitadora") == 2
    assert "la Presidenta del STL procedió a recabar la votación" in texto


def test_the_signed_file_goes_to_who_conducts_by_role(registro_edomex, registro_jalisco, registro_zacatecas):
    """Whom the signing page tells a member to send the signed file: who conducts the sessions, by role and with
    the roster's gender; the profile's role when the roster names nobody (a public page: never a name)."""
    import dataclasses

    assert wording.recibe_firmas(registro_edomex) == {
        "el": "el Facilitador del Secretariado Técnico Local",
        "al": "al Facilitador del Secretariado Técnico Local",
    }
    assert (
        wording.recibe_firmas(registro_zacatecas)["al"] == "a la Facilitadora del Secretariado Técnico Local"
    )
    assert wording.recibe_firmas(registro_jalisco)["al"] == "a la Presidenta del Secretariado Técnico Local"
    for registro, al in (
        (registro_edomex, "al Facilitador del Secretariado Técnico Local"),
        (registro_jalisco, "a la Presidencia del Secretariado Técnico Local"),
    ):
        nadie = [dataclasses.replace(p, preside=False) for p in registro.stl.integrantes]
        nadie = [p for p in nadie if p.calidad is not Calidad.FACILITADOR]
        sin_rol = dataclasses.replace(
            registro, stl=dataclasses.replace(registro.stl, integrantes=tuple(nadie))
        )
        assert wording.recibe_firmas(sin_rol)["al"] == al
