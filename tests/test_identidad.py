"""One person, one name: names compared as people compare them, look-alikes refused in the roster and in the
certificate registered for a member, a certificate's names shown escaped."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import ROOT
from pipeline import identidad, records
from pipeline.cli import main
from pki import AcDePrueba

CIRILICA_A = "\u0430"  # а
GRIEGA_ZETA = "\u0396"  # Ζ


def _validar(root: Path, *args: str):
    return CliRunner().invoke(main, ["--registros", str(root), "validar", "IV-2020", *args])


def _agregar(root: Path, id_: str, nombre: str) -> int:
    """A guest member appended to stl.yaml, `nombre` written byte for byte; gives the line of its name."""
    path = root / "stl.yaml"
    texto = path.read_text("utf-8")
    texto = texto.replace(
        "integrantes:\n",
        f"integrantes:\n  - id: {id_}\n    nombre: {nombre}\n    genero: m\n    cargo: Invitado\n"
        "    sector: academia\n    calidad: invitado\n",
        1,
    )
    path.write_text(texto, "utf-8")
    return texto.splitlines().index(f"    nombre: {nombre}") + 1


def test_names_are_compared_as_people_compare_them():
    assert identidad.mismo_nombre("ZULEMA MARTINEZ SANCHEZ", "Zulema Martínez Sánchez")
    assert identidad.mismo_nombre(unicodedata.normalize("NFD", "Íñiguez"), "iniguez")
    assert not identidad.mismo_nombre("Javier Vargas Zempoaltecatl", "Zulema Martínez Sánchez")
    vargas = "Javier Vargas Zempoaltecatl"
    for parecido in (
        f"Javier V{CIRILICA_A}rgas Zempoaltecatl",
        f"Javier Vargas {GRIEGA_ZETA}empoaltecatl",
        f"JAVIER V{CIRILICA_A.upper()}RGAS ZEMPOALTECATL",
        "Javıer Vargas Zempoaltecatl",  # a dotless ı
        "Javier Vargas Zernpoaltecatl",  # «rn» for «m»
    ):
        assert identidad.parecidos(vargas, parecido), parecido
    assert identidad.parecidos("Isabel Ruiz", "lsabel Ruiz")
    # Different people, even with one letter apart, and the same name are not look-alikes.
    for otro in ("Javier Vargas Zempoalteca", "Elia Vargas Zempoaltecatl", "JAVIER VARGAS ZEMPOALTECATL"):
        assert not identidad.parecidos(vargas, otro), otro
    assert not identidad.parecidos("Elia Ruiz", "Ella Ruiz")
    assert identidad.letras_ajenas(f"V{CIRILICA_A}rgas {GRIEGA_ZETA}") == [
        "«а» (U+0430, letra cirílica)",
        "«Ζ» (U+0396, letra griega)",
    ]
    assert identidad.letras_ajenas("Ángeles Íñiguez Müller") == []
    assert identidad.mostrar("Javier\u202eVargas\u200b") == "Javier⟨U+202E⟩Vargas⟨U+200B⟩"


def test_the_same_name_in_decomposed_form_is_an_error(tree):
    nfd = unicodedata.normalize("NFD", "Zulema Martínez Sánchez")
    linea = _agregar(tree, "martinez2", nfd)
    result = _validar(tree)
    assert result.exit_code == 1, result.output
    salida = " ".join(result.output.split())
    assert f"stl.yaml:{linea} [integrantes[0].nombre]" in salida
    assert "está escrito con letras descompuestas (Unicode NFD" in salida
    assert "es el de Zulema Martínez Sánchez (martinez, línea" in salida


@pytest.mark.parametrize(
    ("nombre", "letra"),
    [
        (f"Javier V{CIRILICA_A}rgas Zempoaltecatl", "«а» (U+0430, letra cirílica)"),
        (f"Javier Vargas {GRIEGA_ZETA}empoaltecatl", "«Ζ» (U+0396, letra griega)"),
    ],
)
def test_a_name_that_only_looks_like_anothers_is_an_error(tree, nombre, letra):
    linea = _agregar(tree, "vargas2", nombre)
    result = _validar(tree)
    assert result.exit_code == 1, result.output
    salida = " ".join(result.output.split())
    assert f"stl.yaml:{linea} [integrantes[0].nombre]" in salida
    assert "se confunde a la vista con el de Javier Vargas Zempoaltecatl (vargas, línea" in salida
    assert f"tiene {letra}" in salida
    assert "Advertencias: ninguna" not in salida


def test_a_latin_name_with_a_letter_of_another_script_is_an_error(tree):
    linea = _agregar(tree, "solo", f"Pedro Ru{CIRILICA_A}z")
    result = _validar(tree)
    assert result.exit_code == 1, result.output
    salida = " ".join(result.output.split())
    assert f"stl.yaml:{linea} [integrantes[0].nombre]" in salida
    assert "«а» (U+0430, letra cirílica)" in salida


def test_two_people_of_one_name_is_a_warning_asking_what_tells_them_apart(tree):
    _agregar(tree, "cervantes2", "DANIEL ROSEMBERG CERVANTES PEREZ")
    result = _validar(tree)
    assert result.exit_code == 0, result.output
    salida = " ".join(result.output.split())
    assert "Advertencias (1)" in salida
    assert (
        "Daniel Rosemberg Cervantes Pérez (cervantes) y DANIEL ROSEMBERG CERVANTES PEREZ (cervantes2"
        in salida
    )
    assert "agregue a «nombre» lo que las distinga" in salida
    assert _validar(tree, "--estricto").exit_code == 1
    # The records themselves load: two people may share a name.
    assert records.load(tree).stl.integrante("cervantes2")


def test_the_bundled_records_have_no_look_alike_nor_namesake():
    result = _validar(ROOT / "records")
    assert result.exit_code == 0, result.output
    assert "se llaman igual" not in result.output


def test_the_signing_page_compares_names_with_the_same_table():
    """firmar/src/parecidos.js is this module's table, as `python -m pipeline.identidad` writes it."""
    escrita = (ROOT / "firmar/src/parecidos.js").read_text("utf-8")
    assert escrita == identidad.tabla_js(), "regenere firmar/src/parecidos.js: python -m pipeline.identidad"


# --- the certificate registered for a member: its holder must be the member -----------------------------------


def _confiar(root: Path, ca: AcDePrueba) -> None:
    with (root / "stl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"firma:\n  raices: [{ca.raiz}]\n")


def _registrar(root: Path, quien: str, cer: Path):
    return CliRunner().invoke(main, ["--registros", str(root), "registrar-certificado", quien, str(cer)])


@pytest.mark.parametrize(
    ("titular", "uid", "mensaje"),
    [
        (
            "JAVIER VARGAS ZEMPOALTECATL",
            None,
            "el titular del certificado (JAVIER VARGAS ZEMPOALTECATL) no es Zulema Martínez Sánchez (martinez): "
            "cada integrante firma con su propio certificado",
        ),
        (
            f"ZULEMA MARTINEZ S{CIRILICA_A.upper()}NCHEZ",
            None,
            f"el titular del certificado, «ZULEMA MARTINEZ S{CIRILICA_A.upper()}NCHEZ», se parece a Zulema "
            "Martínez Sánchez (martinez) pero no es el mismo nombre: tiene «А» (U+0410, letra cirílica)",
        ),
        (
            "ZULEMA MARTINEZ\u202e SANCHEZ",
            None,
            "el titular del certificado, «ZULEMA MARTINEZ⟨U+202E⟩ SANCHEZ», lleva caracteres invisibles",
        ),
        (
            "COMERCIALIZADORA DEL CENTRO SA DE CV",
            "CCE010101AB1 / MASZ800101AB1",
            "el titular del certificado (COMERCIALIZADORA DEL CENTRO SA DE CV) no es Zulema Martínez Sánchez "
            "(martinez) (es la e.firma de una persona moral: firma por la empresa)",
        ),
    ],
)
def test_a_certificate_of_another_holder_is_not_registered(tree, tmp_path, titular, uid, mensaje):
    ca = AcDePrueba(tmp_path)
    _confiar(tree, ca)
    antes = sorted(p.name for p in tree.iterdir())
    result = _registrar(tree, "martinez", ca.credencial("otro", titular, uid).cer)
    assert result.exit_code == 1, result.output
    assert mensaje in " ".join(result.output.split())
    assert "\u202e" not in result.output
    assert sorted(p.name for p in tree.iterdir()) == antes  # certificados.yaml not written


def test_the_members_own_certificate_is_registered_and_its_names_are_shown_escaped(tree, tmp_path):
    """Capitals and accents as the SAT writes them are the same name; an issuer whose name carries U+202E is shown
    escaped on the terminal and in certificados.yaml, whose reader refuses invisible characters."""
    ca = AcDePrueba(tmp_path, "AC de pruebas\u202e de identidad")
    _confiar(tree, ca)
    result = _registrar(tree, "martinez", ca.credencial("martinez", "ZULEMA MARTINEZ SANCHEZ").cer)
    assert result.exit_code == 0, result.output
    assert "Titular: ZULEMA MARTINEZ SANCHEZ" in result.output
    assert "Emisor: AC de pruebas⟨U+202E⟩ de identidad" in result.output
    assert "\u202e" not in result.output
    assert "\u202e" not in (tree / "certificados.yaml").read_text("utf-8")
    assert records.load(tree).certificados["martinez"]
