"""Corpus of broken records: every case must fail `stl validar` with the Spanish error a person needs.

Each directory in `tests/data/invalid/<caso>/` holds the files that replace or add to a copy of the bundled
`records/` tree (`stl.yaml`, `sesiones/<ID>.yaml`, `folios.yaml`, and the registries stl writes:
`certificados.yaml`, `aprobaciones.yaml`, `envios.yaml`) or to a copy of the bundled governance profiles
(`perfiles/<id>.yaml`, named `pipeline/profiles/<id>.yaml` in messages), and a `caso.yaml` saying which session
to validate and which errors must be reported (file, line, a substring of the message and, for governance rules,
the seed article). Almost every case is `tests/data/valid/V-2020.yaml` (checked below to be valid) with exactly
one defect; the roster cases bring their own small `stl.yaml`.

Every case runs through `stl validar` and `stl acta`, and the commands its `comandos` adds (the ones that read
that registry: `stl verificar`, `stl archivar`, `stl enviar`): each must fail with the expected errors, leave the
records untouched and write nothing (no file under the output, signatures or archive folders).

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

from pipeline import records
from pipeline.cli import main

TESTS = Path(__file__).resolve().parent
PROFILES = TESTS.parent / "pipeline" / "profiles"
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


def _named(rel: str) -> str:
    """How a file of a case is named in messages: profiles by their place in the package."""
    return f"pipeline/profiles/{rel.removeprefix('perfiles/')}" if rel.startswith("perfiles/") else rel


def _records_with(tmp_path: Path, files: dict[str, Path]) -> Path:
    """A copy of the bundled records with `files` (relative path → source) replaced or added; a case's
    `perfiles/<id>.yaml` go to a copy of the bundled profiles, which `_profiles_with` makes the loader read."""
    root = tmp_path / "records"
    shutil.copytree(RECORDS, root)
    for rel, source in files.items():
        target = (tmp_path if rel.startswith("perfiles/") else root) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return root


def _profiles_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled profiles, plus or replaced by the case's `perfiles/`, as the folder the loader reads."""
    folder = tmp_path / "perfiles"
    folder.mkdir(exist_ok=True)
    for bundled in PROFILES.glob("*.yaml"):
        if not (folder / bundled.name).exists():
            shutil.copyfile(bundled, folder / bundled.name)
    monkeypatch.setattr(records, "_perfiles", lambda: folder)


def _stl(root: Path, *args: str) -> tuple[Result, str]:
    """Run `stl` in-process on ROOT; the records must come out untouched and nothing may be written."""
    outputs = {name: root.parent / name for name in ("salida", "firmas", "archivo")}
    before = _hashes(root)
    options = [f"--{'salida' if n == 'salida' else n}" for n in outputs]
    result = CliRunner().invoke(
        main,
        [
            "--registros",
            str(root),
            *(x for option, path in zip(options, outputs.values(), strict=True) for x in (option, str(path))),
            *args,
        ],
    )
    assert _hashes(root) == before, f"«stl {args[0]}» modificó archivos de registros"
    escritos = [str(p) for path in outputs.values() for p in path.rglob("*") if p.is_file()]
    assert not escritos, f"«stl {args[0]}» escribió archivos: {escritos}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"excepción no controlada: {result.exception!r}\n{result.output}"
    )
    return result, result.output


def _validar(root: Path, sesion: str) -> tuple[Result, str]:
    return _stl(root, "validar", sesion)


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


def test_the_harness_sees_a_file_written(tmp_path: Path) -> None:
    """Test of the test: `stl acta` of the valid session writes its PDF, and the harness says so."""
    root = _records_with(tmp_path, {"sesiones/V-2020.yaml": VALID_SESSION})
    with pytest.raises(AssertionError, match="«stl acta» escribió archivos"):
        _stl(root, "acta", "V-2020", "--formato", "pdf")


def test_corpus_has_at_least_55_cases_across_records_roster_folios_and_profiles() -> None:
    assert len(CASES) >= 55
    overlays = [str(p.relative_to(c)) for c in CASES for p in _overlay_files(c)]
    for kind in ("sesiones/", "stl.yaml", "folios.yaml", "perfiles/"):
        assert sum(o.startswith(kind) for o in overlays) >= 5, kind
    for registro in ("certificados.yaml", "aprobaciones.yaml", "envios.yaml"):  # the registries stl writes
        assert sum(o == registro for o in overlays) >= 3, registro


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_is_well_formed(case: Path) -> None:
    """Kebab-case name, the expected keys, and every expected error points into a file of the case."""
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", case.name)
    spec = yaml.safe_load((case / "caso.yaml").read_text("utf-8"))
    assert (
        {"descripcion", "sesion", "errores"}
        <= set(spec)
        <= {"descripcion", "sesion", "errores", "xfail", "comandos"}
    )
    assert all(
        isinstance(c, list) and c and all(isinstance(a, str) for a in c) for c in spec.get("comandos", [])
    )
    assert spec["descripcion"].strip() and spec["errores"]
    files = {_named(str(p.relative_to(case))): p for p in _overlay_files(case)}
    assert files, "el caso no aporta ningún archivo"
    assert all(
        re.fullmatch(
            r"(stl|folios|certificados|aprobaciones|envios)\.yaml|(sesiones|pipeline/profiles)/[^/]+\.yaml", f
        )
        for f in files
    )
    for error in spec["errores"]:
        assert {"archivo", "linea", "mensaje"} <= set(error) <= {"archivo", "linea", "mensaje", "cita"}, error
        assert error["archivo"] in files, error
        lines = files[error["archivo"]].read_text("utf-8").splitlines()
        assert isinstance(error["linea"], int) and 1 <= error["linea"] <= len(lines), error


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case_is_reported(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = yaml.safe_load((case / "caso.yaml").read_text("utf-8"))
    files = {str(p.relative_to(case)): p for p in _overlay_files(case)}
    root = _records_with(tmp_path, files)
    _profiles_with(tmp_path, monkeypatch)
    wrong = []
    for command, *args in (["validar", spec["sesion"]], ["acta", spec["sesion"]], *spec.get("comandos", [])):
        result, output = _stl(root, command, *args)

        # Whatever the case, the run must end cleanly with a failure.
        assert result.exit_code != 0, output
        assert "Traceback" not in output, output

        # What a person reads: Spanish, and every expected error at its file and line.
        if "Error" not in output:
            wrong.append(f"{command}: la salida no dice «Error»")
        english = ENGLISH.search(output)
        if english:
            wrong.append(f"{command}: texto en inglés: {english.group(0)!r}")
        wrong += [
            f"{command}: no se informa: {e['archivo']}:{e['linea']}: {e['mensaje']}"
            + (f" ({e['cita']})" if "cita" in e else "")
            for e in spec["errores"]
            if not _reported(output, e)
        ]
        wrong += [f"salida de {command}:", output] if wrong and wrong[-1] != output else []
    if "xfail" in spec:
        assert wrong, f"el caso ya se informa como se esperaba: quite «xfail» de {case.name}/caso.yaml"
        pytest.xfail(spec["xfail"])
    assert not wrong, "\n".join(wrong)
