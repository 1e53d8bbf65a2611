"""Corpus of broken records: every case must fail `stl validar` with the Spanish error a person needs.

Each directory in `tests/data/invalid/<caso>/` holds the files that replace or add to a copy of the bundled
`records/` tree (`stl.yaml`, `sesiones/<ID>.yaml`) and a `caso.yaml` saying which session to validate and
which errors must be reported (file, line, a substring of the message and, for governance rules, the seed
article). Almost every case is `tests/data/valid/V-2020.yaml` (checked below to be valid) with exactly one
defect; the roster cases bring their own small `stl.yaml`.

A case may say `xfail: <reason>` when the tool does not (yet) report its defect as a person needs it (at
another line, in English, with a misleading message): the lead must fix code, not the case. Even then the
run must fail cleanly (exit code not 0, no traceback, no file touched); and once the case is reported as
expected the test fails, so that the mark is removed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from pipeline.cli import main

TESTS = Path(__file__).resolve().parent
RECORDS = TESTS.parent / "records"
INVALID = TESTS / "data" / "invalid"
VALID_SESSION = TESTS / "data" / "valid" / "V-2020.yaml"
CASES = sorted(p for p in INVALID.iterdir() if p.is_dir())

# Words that betray an untranslated message from PyYAML, jsonschema, Click or Python.
ENGLISH = re.compile(
    r"\b(Traceback|found|expected|could not|while (scanning|parsing)|is not|not allowed|"
    r"Invalid|Usage|required property|Additional properties)\b"
)


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _overlay_files(case: Path) -> list[Path]:
    return sorted(p for p in case.rglob("*") if p.is_file() and p.name != "caso.yaml")


def _records_with(tmp_path: Path, files: dict[str, Path]) -> Path:
    """A copy of the bundled records with `files` (relative path → source) replaced or added."""
    root = tmp_path / "records"
    shutil.copytree(RECORDS, root)
    for rel, source in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return root


def _validar(root: Path, sesion: str) -> tuple[Result, str]:
    """Run `stl --registros ROOT validar SESION` in-process; the tree must come out untouched."""
    before = _hashes(root)
    result = CliRunner().invoke(main, ["--registros", str(root), "validar", sesion])
    assert _hashes(root) == before, "validar modificó archivos de registros"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"excepción no controlada: {result.exception!r}\n{result.output}"
    )
    return result, result.output


def _reported(output: str, error: dict) -> bool:
    """Some output line names the file and line (exactly) and holds the message and citation."""
    where = re.compile(re.escape(f"{error['archivo']}:{error['linea']}") + r"(?!\d)")
    return any(
        where.search(line) and error["mensaje"] in line and error.get("cita", "") in line
        for line in output.splitlines()
    )


def test_valid_session_validates(tmp_path: Path) -> None:
    root = _records_with(tmp_path, {"sesiones/V-2020.yaml": VALID_SESSION})
    result, output = _validar(root, "V-2020")
    assert result.exit_code == 0, output
    assert "Errores: ninguno" in output
    assert "Advertencias: ninguna" in output


def test_corpus_has_at_least_20_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_is_well_formed(case: Path) -> None:
    """Kebab-case name, the expected keys, and every expected error points into a file of the case."""
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", case.name)
    spec = yaml.safe_load((case / "caso.yaml").read_text("utf-8"))
    assert {"descripcion", "sesion", "errores"} <= set(spec) <= {"descripcion", "sesion", "errores", "xfail"}
    assert spec["descripcion"].strip() and spec["errores"]
    files = {str(p.relative_to(case)) for p in _overlay_files(case)}
    assert files, "el caso no aporta ningún archivo"
    assert all(f == "stl.yaml" or re.fullmatch(r"sesiones/[^/]+\.yaml", f) for f in files), files
    for error in spec["errores"]:
        assert {"archivo", "linea", "mensaje"} <= set(error) <= {"archivo", "linea", "mensaje", "cita"}, error
        assert error["archivo"] in files, error
        lines = (case / error["archivo"]).read_text("utf-8").splitlines()
        assert isinstance(error["linea"], int) and 1 <= error["linea"] <= len(lines), error


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case_is_reported(case: Path, tmp_path: Path) -> None:
    spec = yaml.safe_load((case / "caso.yaml").read_text("utf-8"))
    files = {str(p.relative_to(case)): p for p in _overlay_files(case)}
    result, output = _validar(_records_with(tmp_path, files), spec["sesion"])

    # Whatever the case, the run must end cleanly with a failure.
    assert result.exit_code != 0, output
    assert "Traceback" not in output, output

    # What a person reads: Spanish, and every expected error at its file and line.
    wrong = []
    if "Error" not in output:
        wrong.append("la salida no dice «Error»")
    english = ENGLISH.search(output)
    if english:
        wrong.append(f"texto en inglés: {english.group(0)!r}")
    wrong += [
        f"no se informa: {e['archivo']}:{e['linea']}: {e['mensaje']}"
        + (f" ({e['cita']})" if "cita" in e else "")
        for e in spec["errores"]
        if not _reported(output, e)
    ]
    if "xfail" in spec:
        assert wrong, f"el caso ya se informa como se esperaba: quite «xfail» de {case.name}/caso.yaml"
        pytest.xfail(spec["xfail"])
    assert not wrong, "\n".join([*wrong, "salida:", output])
