"""A real package: the wheel carries templates, schemas and profiles; installed in a fresh venv (not editable),
`stl` works on records outside the checkout, from any folder; a broken install says so in Spanish."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from builders import ROOT, celebrar, llenar_stl

# The dependencies come from this project's venv (on PYTHONPATH: its .pth files, the editable install among
# them, are not read), so the test needs no network and `pipeline` is only the wheel's.
DEPENDENCIAS = sysconfig.get_paths()["purelib"]


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    entorno = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PYTHONPATH": DEPENDENCIAS, **env}
    return subprocess.run(args, cwd=cwd, env=entorno, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def venv(rueda, tmp_path_factory) -> Path:
    """A fresh venv with only the wheel installed (no editable install, no checkout on its path)."""
    carpeta = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(carpeta)], check=True)
    pip = [sys.executable, "-m", "pip", "--python", str(carpeta / "bin/python"), "install", "--no-deps"]
    subprocess.run([*pip, "--no-index", "-q", str(rueda)], check=True, capture_output=True, timeout=300)
    return carpeta


def test_the_wheel_carries_templates_schemas_and_profiles(rueda):
    nombres = zipfile.ZipFile(rueda).namelist()
    for archivo in (
        "pipeline/templates/pdf/acta.html",
        "pipeline/templates/pdf/acta.css",
        "pipeline/templates/docx/acta.docx",
        "pipeline/templates/email/convocatoria.txt",
        "pipeline/templates/site/estilo.css",
        "pipeline/schemas/sesion.schema.json",
        "pipeline/profiles/jalisco.yaml",
    ):
        assert archivo in nombres, archivo
    assert not any(n.startswith("templates/") or "plantillas.py" in n for n in nombres)


def test_every_file_of_templates_schemas_and_profiles_is_in_the_wheel(rueda):
    """Each file git tracks under templates/ (but the script that builds the DOCX templates) and the package's
    schemas and profiles: a new kind of file (the site's verificar.js, say) forgotten in package-data fails here."""
    versionados = subprocess.run(
        ["git", "ls-files", "templates", "pipeline/schemas", "pipeline/profiles"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    esperados = {
        f"pipeline/{p}" if p.startswith("templates/") else p
        for p in versionados
        if not p.endswith("plantillas.py")
    }
    assert esperados - set(zipfile.ZipFile(rueda).namelist()) == set()


def test_the_installed_stl_makes_an_acta_outside_the_checkout(venv, tmp_path):
    shutil.copytree(ROOT / "records", tmp_path / "registros")
    hecho = _run([str(venv / "bin/stl"), "--registros", "registros", "acta", "IV-2020"], tmp_path)
    assert hecho.returncode == 0, hecho.stderr
    assert (tmp_path / "salida/IV-2020/acta-IV-2020.pdf").stat().st_size > 10_000
    assert (tmp_path / "salida/IV-2020/acta-IV-2020.docx").is_file()
    donde = _run([str(venv / "bin/python"), "-c", "import pipeline; print(pipeline.__file__)"], tmp_path)
    assert donde.stdout.startswith(str(venv)), donde.stdout  # the wheel's package, not the checkout
    publicado = _run(
        [str(venv / "bin/stl"), "--registros", "registros", "publicar", "--sin-busqueda"], tmp_path
    )
    assert publicado.returncode == 0, publicado.stderr
    for archivo in ("index.html", "sesiones/IV-2020.html", "verificar.js", "firmar/index.html"):
        assert (tmp_path / "sitio" / archivo).is_file(), archivo


def test_init_then_acta_from_the_wheel(venv, tmp_path):
    """A new STL from nothing but the installed package: init, fill the names, convene, hold, acta."""
    stl = str(venv / "bin/stl")
    hecho = _run([stl, "init", "nuevo-stl", "--perfil", "jalisco"], tmp_path)
    assert hecho.returncode == 0, hecho.stderr
    # The schemas are copied beside the records and named by a relative path: never the venv's own files.
    texto = (tmp_path / "nuevo-stl/stl.yaml").read_text("utf-8")
    assert (
        texto.startswith("# yaml-language-server: $schema=esquemas/stl.schema.json\n")
        and str(venv) not in texto
    )
    assert (tmp_path / "nuevo-stl/esquemas/stl.schema.json").is_file()
    llenar_stl(tmp_path / "nuevo-stl")
    sesion = ["nueva-sesion", "I-2021", "--fecha", "2021-03-10", "--hora", "10:00"]
    hecho = _run([stl, "--registros", "nuevo-stl", *sesion], tmp_path)
    assert hecho.returncode == 0, hecho.stderr
    hecho = _run([stl, "--registros", "nuevo-stl", "convocatoria", "I-2021", "--formato", "docx"], tmp_path)
    assert hecho.returncode == 0, hecho.stderr
    celebrar(tmp_path / "nuevo-stl", "I-2021")
    hecho = _run([stl, "--registros", "nuevo-stl", "acta", "I-2021", "--formato", "pdf"], tmp_path)
    assert hecho.returncode == 0, hecho.stderr
    pdf = tmp_path / "salida/I-2021/acta-I-2021.pdf"
    texto = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Primera Sesión Ordinaria" in texto and "Facilitador" not in texto


def _roto(venv: Path, tmp_path: Path, relativo: str) -> Path:
    """A copy of the installed venv without one of the package's files."""
    copia = tmp_path / "roto"
    shutil.copytree(venv, copia, symlinks=True)
    [paquete] = copia.glob("lib/python*/site-packages/pipeline")
    objetivo = paquete / relativo
    shutil.rmtree(objetivo) if objetivo.is_dir() else objetivo.unlink()
    return copia


@pytest.mark.parametrize(
    ("falta", "comando", "mensaje"),
    [
        ("templates/pdf/acta.html", ["acta", "IV-2020"], "falta la plantilla"),
        ("templates", ["orden", "IV-2020"], "falta la plantilla"),
        ("schemas/stl.schema.json", ["validar", "IV-2020"], "stl.schema.json, que es parte del paquete"),
        ("profiles", ["validar", "IV-2020"], "profiles, que es parte del paquete"),
    ],
)
def test_a_broken_install_is_a_spanish_message(venv, tmp_path, falta, comando, mensaje):
    roto = _roto(venv, tmp_path, falta)
    shutil.copytree(ROOT / "records", tmp_path / "registros")
    # the copied venv's python still resolves to its own site-packages
    hecho = _run([str(roto / "bin/python"), "-m", "pipeline", "--registros", "registros", *comando], tmp_path)
    assert hecho.returncode == 1, hecho.stdout + hecho.stderr
    assert mensaje in hecho.stderr and "la instalación de actas-stl está incompleta" in hecho.stderr, (
        hecho.stderr
    )
    assert "Traceback" not in hecho.stderr


def test_a_missing_dependency_is_a_spanish_message(venv, tmp_path):
    hecho = _run([str(venv / "bin/stl"), "--ayuda"], tmp_path, PYTHONPATH="")
    assert hecho.returncode == 1
    assert "Error: falta el módulo de Python «" in hecho.stderr and "Traceback" not in hecho.stderr, (
        hecho.stderr
    )


def test_the_wheel_installs_on_python_3_11_to_3_13(rueda):
    """No cap below the versions current distributions ship (it was «<3.12»); the README says which are tested."""
    from email.parser import Parser

    from packaging.specifiers import SpecifierSet

    with zipfile.ZipFile(rueda) as z:
        [meta] = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        metadatos = Parser().parsestr(z.read(meta).decode("utf-8"))
    admite = SpecifierSet(metadatos["Requires-Python"])
    assert all(v in admite for v in ("3.11.7", "3.12.8", "3.13.1")) and "3.10.12" not in admite
    clasificadores = metadatos.get_all("Classifier")
    for v in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {v}" in clasificadores
    assert "ruamel.yaml>=0.18" in metadatos.get_all("Requires-Dist")
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "Python 3.11, 3.12 o 3.13" in readme and "las pruebas corren en 3.11" in readme
