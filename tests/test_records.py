"""Stage 1: the bundled records load into frozen values, with lines for every field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil

import jsonschema
import pytest
import yaml

from builders import ROOT
from pipeline import records
from pipeline.models import Calidad, TipoPunto, TipoSesion


def test_bundled_stl_and_its_sessions(registro_edomex):
    stl = registro_edomex.stl
    assert stl.estado == "Estado de México" and stl.prefijo_folio == "STL"
    assert registro_edomex.perfil.id == "edomex"
    assert [s.id for s in registro_edomex.sesiones] == ["INST-2019", "2019-11-11", "III-2020", "IV-2020"]
    titulares = [p.id for p in stl.titulares(dt.date(2020, 11, 3))]
    assert titulares == ["martinez", "vargas", "cervantes"]
    assert stl.integrante("funes").calidad is Calidad.FACILITADOR
    assert {stl.integrante(i).calidad for i in ("parra", "luna")} == {Calidad.INVITADO}


def test_cuarta_sesion_record(registro_edomex):
    s = registro_edomex.sesion("IV-2020")
    assert (s.tipo, s.numero, s.fecha) == (TipoSesion.ORDINARIA, 4, dt.date(2020, 11, 3))
    assert (s.hora_inicio, s.hora_cierre) == (dt.time(13), dt.time(14, 31))
    assert (s.modalidad, s.sede) == ("virtual", "Plataforma virtual Zoom")
    assert (s.convocatoria.folio, s.convocatoria.fecha) == ("STL/004/2020", dt.date(2020, 10, 26))
    assert len(s.orden_convocado) == 8 and len(s.orden_aprobado) == 7 and s.orden_modificado
    retirado = next(p for p in s.orden_del_dia if p.retirado)
    assert (retirado.clave, retirado.solicita) == ("ieem", "martinez")
    assert [a.folio for a in s.acuerdos] == [f"STL/IV/{n}/2020" for n in range(1, 5)]
    assert s.acuerdos[1].aprueba_acta == "III-2020"
    assert s.orden_aprobado[2].tipo is TipoPunto.APROBACION_ACTA
    speakers = {i.orador for p in s.orden_del_dia for i in p.intervenciones}
    assert speakers == {"martinez", "vargas", "cervantes", "funes", "parra", "luna"}


def test_every_value_knows_its_file_and_line(registro_edomex):
    s = registro_edomex.sesion("IV-2020")
    text = (ROOT / "records/sesiones/IV-2020.yaml").read_text("utf-8").splitlines()
    acuerdo = s.acuerdos[2]
    assert acuerdo.lugar.archivo == "sesiones/IV-2020.yaml"
    assert text[acuerdo.lugar.linea - 1].strip().startswith("- texto: el eje “Cultura")
    assert acuerdo.lugar.campo == "orden_del_dia[3].acuerdos[0]"
    martinez = registro_edomex.stl.integrante("martinez")
    assert martinez.lugar.archivo == "stl.yaml"
    assert (
        "id: martinez"
        in (ROOT / "records/stl.yaml").read_text("utf-8").splitlines()[martinez.lugar.linea - 1]
    )


def test_private_fields_stay_out_of_the_printed_values(registro_edomex):
    martinez = registro_edomex.stl.integrante("martinez")
    assert martinez.privado["correo"].endswith(".example")
    assert "privado" not in repr(martinez) and "@" not in repr(martinez)


def test_values_are_frozen(registro_edomex):
    with pytest.raises(dataclasses.FrozenInstanceError):
        registro_edomex.sesion("IV-2020").numero = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IV-2020", (TipoSesion.ORDINARIA, 4, 2020)),
        ("EXT-I-2021", (TipoSesion.EXTRAORDINARIA, 1, 2021)),
        ("INST-2019", (TipoSesion.INSTALACION, None, 2019)),
        ("2019-11-11", (None, None, 2019)),
        ("IIII-2020", None),
        ("iv-2020", None),
        ("2019-02-30", None),
    ],
)
def test_session_ids(text, expected):
    parsed = records.parse_session_id(text)
    assert (parsed and (parsed.tipo, parsed.numero, parsed.anio)) == expected if expected else parsed is None


@pytest.mark.parametrize(("name", "files"), [("stl", ["stl.yaml"]), ("sesion", ["sesiones/IV-2020.yaml"])])
def test_published_schemas_accept_the_bundled_records(name, files):
    """Editors validate with the same schema files the loader uses."""
    schema = json.loads((ROOT / f"pipeline/schemas/{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for rel in files:
        data = yaml.safe_load((ROOT / "records" / rel).read_text("utf-8").replace("\t", " "))
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
        first_line = (ROOT / "records" / rel).read_text("utf-8").splitlines()[0]
        assert (
            first_line.startswith("# yaml-language-server: $schema=") and f"{name}.schema.json" in first_line
        )


def test_every_problem_in_every_file_is_collected(tmp_path):
    """Loading does not stop at the first problem: two files, several errors, one report."""
    root = tmp_path / "records"
    (root / "sesiones").mkdir(parents=True)
    (root / "stl.yaml").write_text((ROOT / "records/stl.yaml").read_text("utf-8"), "utf-8")
    (root / "sesiones/I-2021.yaml").write_text(
        'tipo: ordinaria\nfecha: "2021-02-30"\nhora_inicio: "25:00"\nasistensia: []\n', "utf-8"
    )
    (root / "sesiones/II-2021.yaml").write_text("tipo: [ordinaria\n", "utf-8")
    with pytest.raises(records.RecordsError) as info:
        records.load(root)
    texts = [str(p) for p in info.value.problemas]
    assert any(
        t.startswith("sesiones/I-2021.yaml:4 [asistensia]: campo desconocido «asistensia»") for t in texts
    )
    assert (
        "sesiones/II-2021.yaml:1: YAML mal formado: un «[» que se abre aquí no se cierra bien con «]»"
        in texts
    )


def test_an_impossible_date_is_one_error_not_a_cascade(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(ROOT / "records", root)
    shutil.copy(
        ROOT / "tests/data/invalid/fecha-imposible-sin-cascada/sesiones/V-2020.yaml", root / "sesiones"
    )
    with pytest.raises(records.RecordsError) as info:
        records.load(root)
    assert [str(p) for p in info.value.problemas] == [
        "sesiones/V-2020.yaml:5 [fecha]: fecha imposible: «2020-12-32» no existe en el calendario"
    ]


def test_numbering_may_start_again_each_year(tree):
    """Some STLs number their sessions per year: I-2021 after IV-2020 is not out of order."""
    v = (ROOT / "tests/data/valid/V-2020.yaml").read_text("utf-8")
    i_2021 = (
        v.replace("numero: 5", "numero: 1")
        .replace('"2020-12-01"', '"2021-02-01"')
        .replace('"2020-11-20"', '"2021-01-20"')
        .replace("STL/005/2020", "STL/001/2021")
    )
    (tree / "sesiones/I-2021.yaml").write_text(i_2021, "utf-8")
    assert records.load(tree).sesion("I-2021").numero == 1
