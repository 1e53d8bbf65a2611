"""The user's commands in any order, the wrong ones included, from a fresh `stl init` folder (Hypothesis stateful).

A Facilitador does not read the manual first: the acta before the convocatoria, a signature before preparar-firma,
`enviar firma` before anyone signed, the convocatoria twice, an edit after the approval. Whatever the order, after
every step: no traceback; exit 0, or a Spanish error that says what comes first; every record loads and every
registry is valid against its schema; no signed PDF changed or disappeared; no folio reused or skipped, and a
session's folio never changes.

Bounded for `make test` (about a minute); `make espacio` (or STL_ESPACIO_EJEMPLOS / STL_ESPACIO_PASOS) explores more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from builders import llenar_stl
from pipeline import records, registros_yaml
from pipeline.cli import main
from pipeline.yamlfile import read_yaml, schema_problems

EJEMPLOS = int(os.environ.get("STL_ESPACIO_EJEMPLOS", "20"))
PASOS = int(os.environ.get("STL_ESPACIO_PASOS", "40"))
CONTRASENA = "clave-espacio"
FIRMANTES = ("organo-garante", "entes-publicos", "sociedad-civil", "facilitador")
ANIO = 2025
# Words of click's or Python's own English that must never reach a Facilitador.
INGLES = re.compile(
    r"Traceback|Exception|Error: (?:No such|Missing|Invalid|Got unexpected)|does not|is not|must be|"
    r"not found|expected|unexpected|invalid literal|NoneType|object has no",
)


# A refusal says what comes first or where the problem is: a command to run, a file and line, the session that
# does not exist or the one that comes next, what already happened, the approval that is missing.
QUE_HACER = re.compile(
    r"«stl [a-z-]+|\.yaml(:\d+)?|no hay registro|la siguiente sesión|ya existe|ya está|ya firm|todos los firmantes|"
    r"aprobaci|\(firman: "  # who signs it: the one thing a member who may not sign can do is leave it to them
)


@pytest.fixture(scope="module")
def plantilla(tmp_path_factory) -> Path:
    """A fresh `stl init` folder for Estado de México, its names filled and each signatory's certificate
    registered (a demo PKI made now): copied for every example, as new as the first time."""
    from pipeline import pki_demo, records

    base = tmp_path_factory.mktemp("espacio")
    registros = base / "registros"
    result = CliRunner().invoke(main, ["init", str(registros), "--perfil", "edomex"])
    assert result.exit_code == 0, result.output
    llenar_stl(registros)
    ahora = dt.datetime.now(dt.UTC)
    claves = base / "claves"
    nombres = {p.id: p.nombre for p in records.load(registros).stl.integrantes}
    pki_demo.generar(
        claves, [(i, nombres[i]) for i in FIRMANTES], CONTRASENA, ahora
    )  # each holder the member
    stl_yaml = registros / "stl.yaml"
    shutil.copyfile(claves / "raiz.pem", registros / "raiz.pem")
    stl_yaml.write_text(stl_yaml.read_text("utf-8") + "firma:\n  raices: [raiz.pem]\n", "utf-8")
    for persona in FIRMANTES:
        hecho = CliRunner().invoke(
            main,
            ["--registros", str(registros), "registrar-certificado", persona, str(claves / f"{persona}.cer")],
        )
        assert hecho.exit_code == 0, hecho.output
    return base


class Ciclo(RuleBasedStateMachine):
    """One STL's folder and what the Facilitador has done to it; the invariants hold after every command."""

    base: Path  # the template, set by the test

    @initialize()
    def nuevo(self) -> None:
        import tempfile

        self.tmp = Path(tempfile.mkdtemp(prefix="stl-espacio-"))
        shutil.copytree(self.base, self.tmp, dirs_exist_ok=True)
        self.registros = self.tmp / "registros"
        self.claves = self.tmp / "claves"
        self.sesiones: list[str] = []
        self.numero = {"ordinaria": 0, "extraordinaria": 0}
        self.fecha = dt.date(ANIO, 2, 3)
        self.pdfs: dict[str, str] = {}
        self.folios: dict[str, str] = {}
        self.salidas: list[str] = []
        self.plan: list[tuple[str, ...]] = []  # what a Facilitador following the README would do next

    def teardown(self) -> None:
        if os.environ.get("STL_ESPACIO_VER"):
            print("\n".join(self.salidas), "\n" + "=" * 100)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- running a command ---------------------------------------------------------------------------------

    def stl(self, *args: str) -> str:
        opciones = ["--registros", str(self.registros)]
        for opcion in ("salida", "firmas", "archivo"):
            opciones += [f"--{opcion}", str(self.tmp / opcion)]
        result = CliRunner().invoke(
            main, [*opciones, *args], env={"STL_CONTRASENA": CONTRASENA, "STL_SMTP_CONTRASENA": None}
        )
        salida = result.output
        self.salidas.append(f"$ stl {' '.join(args)}  → {result.exit_code}\n{salida}")
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"stl {' '.join(args)} terminó con una excepción:\n{salida}\n{result.exc_info}"
        )
        assert result.exit_code in (0, 1), salida
        if result.exit_code:
            assert salida.startswith("Error: ") or "\nError: " in salida, salida
            assert not INGLES.search(salida), salida
            assert QUE_HACER.search(salida), f"un error sin decir qué va primero ni dónde: {salida}"
        return salida

    def _objetivo(self, i: int) -> str:
        """An existing session, or one that does not exist (the user mistypes it)."""
        candidatas = [*self.sesiones, f"IX-{ANIO + 5}"]
        return candidatas[i % len(candidatas)]

    def _credencial(self, persona: str) -> list[str]:
        return ["--p12", str(self.claves / f"{persona}.p12")]

    # --- the user's commands ----------------------------------------------------------------------------------

    @rule(extraordinaria=st.booleans(), equivocado=st.booleans())
    def nueva_sesion(self, extraordinaria: bool, equivocado: bool) -> None:
        tipo = "extraordinaria" if extraordinaria else "ordinaria"
        numero = self.numero[tipo] + (2 if equivocado else 1)  # a wrong number: refused, nothing written
        romano = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][(numero - 1) % 12]
        sesion = f"{'EXT-' if extraordinaria else ''}{romano}-{ANIO}"
        self.fecha += dt.timedelta(days=28)
        while self.fecha.weekday() >= 5:
            self.fecha += dt.timedelta(days=1)
        salida = self.stl(
            "nueva-sesion",
            sesion,
            "--fecha",
            self.fecha.isoformat(),
            "--hora",
            "10:00",
            *(["--extraordinaria"] if extraordinaria else []),
        )
        if not salida.startswith("Error"):
            self.numero[tipo] = numero
            self.sesiones.append(sesion)
        else:
            assert "la siguiente sesión" in salida or "ya existe" in salida, salida

    def _paso(self, *args: str) -> None:
        if args[0] == "celebrar":
            self._celebrar(args[1])
        elif args[0] == "nueva-sesion":
            self.nueva_sesion(extraordinaria=False, equivocado=False)
        else:
            self.stl(*args)

    def _siguiente(self) -> None:
        """The next step of the year in the README's order: convene, send, validate, hold, draft; once the next
        session approved an acta, prepare it, have each signatory sign it and archive it."""
        if not self.plan:
            self.plan.append(("nueva-sesion",))
        paso = self.plan.pop(0)
        antes = list(self.sesiones)
        self._paso(*paso)
        if paso[0] == "nueva-sesion" and self.sesiones != antes:
            nueva = self.sesiones[-1]
            self.plan += [
                ("convocatoria", nueva, "--formato", "docx"),
                ("enviar", "convocatoria", nueva, "--simular"),
                ("validar", nueva),
                ("celebrar", nueva),
                ("acta", nueva, "--formato", "docx"),
            ]
            if len(self.sesiones) > 1:  # the new session approves the previous acta
                previa = self.sesiones[-2]
                self.plan += [("preparar-firma", previa, *self._credencial("facilitador"))]
                self.plan += [("firmar", previa, "--firmante", p, *self._credencial(p)) for p in FIRMANTES]
                self.plan += [("enviar", "firma", previa, "--simular"), ("archivar", previa)]

    @rule()
    def avanzar(self) -> None:
        self._siguiente()

    @rule()
    def avanzar_otra_vez(self) -> None:  # twice as likely as any single command out of order
        self._siguiente()

    @rule()
    def avanzar_y_otra(self) -> None:
        self._siguiente()

    @rule(i=st.integers(0, 5))
    def convocatoria(self, i: int) -> None:
        self.stl("convocatoria", self._objetivo(i), "--formato", "docx")

    @rule(i=st.integers(0, 5))
    def enviar_convocatoria(self, i: int) -> None:
        self.stl("enviar", "convocatoria", self._objetivo(i), "--simular")

    @rule(i=st.integers(0, 5), estricto=st.booleans())
    def validar(self, i: int, estricto: bool) -> None:
        self.stl("validar", self._objetivo(i), *(["--estricto"] if estricto else []))

    @precondition(lambda self: self.sesiones)
    @rule(i=st.integers(0, 5))
    def celebrar(self, i: int) -> None:
        self._celebrar(self.sesiones[i % len(self.sesiones)])

    def _celebrar(self, sesion: str) -> None:
        """The user records the session as held: closing time, attendance, the previous acta approved."""
        path = self.registros / "sesiones" / f"{sesion}.yaml"
        texto = path.read_text("utf-8")
        texto = texto.replace('# hora_cierre: "HH:MM"', 'hora_cierre: "11:30"').replace(
            "# asistencia: [", "asistencia: ["
        )
        texto = re.sub(
            r"(  - tipo: aprobacion_acta\n    sesion: \S+\n)(?!    acuerdos)",
            r"\1    acuerdos:\n      - votacion: unanimidad\n",
            texto,
        )
        path.write_text(texto, "utf-8")

    @precondition(lambda self: self.sesiones)
    @rule(i=st.integers(0, 5))
    def editar(self, i: int) -> None:
        """An edit to a session's record, maybe after its acta was approved (then it is a fe de erratas)."""
        sesion = self.sesiones[i % len(self.sesiones)]
        path = self.registros / "sesiones" / f"{sesion}.yaml"
        texto = path.read_text("utf-8")
        if "  - tipo: asuntos_generales\n" in texto and "sin asuntos" not in texto:
            texto = texto.replace(
                "  - tipo: asuntos_generales\n",
                "  - tipo: asuntos_generales\n    intervenciones:\n      - orador: facilitador\n"
                "        texto: informó que no hay asuntos generales registrados (sin asuntos).\n",
            )
            path.write_text(texto, "utf-8")

    @rule(i=st.integers(0, 5))
    def acta(self, i: int) -> None:
        self.stl("acta", self._objetivo(i), "--formato", "docx")

    @rule(i=st.integers(0, 5), documento=st.sampled_from([None, "convocatoria"]))
    def preparar_firma(self, i: int, documento: str | None) -> None:
        extra = ["--documento", documento] if documento else []
        self.stl("preparar-firma", self._objetivo(i), *extra, *self._credencial("facilitador"))

    @rule(i=st.integers(0, 5))
    def enviar_firma(self, i: int) -> None:
        self.stl("enviar", "firma", self._objetivo(i), "--simular")

    @rule(
        i=st.integers(0, 5),
        persona=st.sampled_from(FIRMANTES),
        documento=st.sampled_from([None, "convocatoria"]),
    )
    def firmar(self, i: int, persona: str, documento: str | None) -> None:
        extra = ["--documento", documento] if documento else []
        self.stl("firmar", self._objetivo(i), *extra, "--firmante", persona, *self._credencial(persona))

    @rule(i=st.integers(0, 5))
    def estado(self, i: int) -> None:
        self.stl("estado", self._objetivo(i))

    @rule(i=st.integers(0, 5))
    def archivar(self, i: int) -> None:
        self.stl("archivar", self._objetivo(i))

    @rule()
    def calendario(self) -> None:
        self.stl("calendario")

    @rule(asunto=st.sampled_from(["Plan de Acción Local", "Mesa de seguimiento"]))
    def reunion(self, asunto: str) -> None:
        """A working meeting and its minuta, prepared for signature: another kind of record in the same folder."""
        salida = self.stl(
            "nueva-reunion", "--fecha", self.fecha.isoformat(), "--hora", "12:00", "--asunto", asunto
        )
        reunion = re.search(r"reuniones/(RT-[0-9-]+)\.yaml", salida)
        if reunion:
            self.stl("minuta", reunion.group(1), "--formato", "docx")
            self.stl("preparar-firma", reunion.group(1), *self._credencial("facilitador"))

    # --- what must hold after every step ----------------------------------------------------------------------

    @invariant()
    def registros_validos(self) -> None:
        """Every record loads (no command left a file that stops the next one) and each registry stl adds to is
        valid against its schema."""
        records.load(self.registros)
        for nombre in registros_yaml.REGISTROS:
            path = self.registros / f"{nombre}.yaml"
            if path.is_file():
                datos, lineas, problemas = read_yaml(path, path.name)
                assert not problemas and not schema_problems(datos, lineas, path.name, nombre), (
                    path.read_text()
                )

    @invariant()
    def firmados_intactos(self) -> None:
        """A signed PDF is never changed nor removed: each new signature is a new file."""
        firmas = self.tmp / "firmas"
        actuales = (
            {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in firmas.rglob("*.pdf")}
            if firmas.is_dir()
            else {}
        )
        for path, sha in self.pdfs.items():
            assert actuales.get(path) == sha, f"{path} cambió o desapareció"
        self.pdfs = actuales

    @invariant()
    def folios_seguidos(self) -> None:
        """Folios of a year follow one another from 1, none repeated or skipped; a session's folio never changes."""
        path = self.registros / "folios.yaml"
        folios = (yaml.safe_load(path.read_text("utf-8")) or {}).get("folios") or []
        numeros = [int(f["folio"].split("/")[1]) for f in folios]
        assert numeros == list(range(1, len(numeros) + 1)), numeros
        for f in folios:
            assert self.folios.setdefault(f["sesion"], f["folio"]) == f["folio"], f
        assert len({f["sesion"] for f in folios}) == len(folios)


@pytest.mark.espacio
def test_the_users_commands_in_any_order(plantilla):
    Ciclo.base = plantilla
    run_state_machine_as_test(
        Ciclo,
        settings=settings(
            max_examples=EJEMPLOS,
            stateful_step_count=PASOS,
            deadline=None,
            database=None,
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
                HealthCheck.filter_too_much,
            ],
        ),
    )


def test_the_wrong_orders_people_try(plantilla):
    """The orders the issue names, one after another on one folder, with the same invariants after each step."""
    Ciclo.base = plantilla
    m = Ciclo()
    m.nuevo()

    def despues(salida: str) -> str:
        m.registros_validos()
        m.firmados_intactos()
        m.folios_seguidos()
        return salida

    try:
        m.nueva_sesion(extraordinaria=False, equivocado=False)
        m._celebrar("I-2025")
        # The acta before the oficio: it cites the convocatoria by its date, never «oficio número None».
        assert "acta-I-2025.pdf" in despues(m.stl("acta", "I-2025", "--formato", "pdf"))
        assert (
            "None"
            not in subprocess.run(
                ["pdftotext", str(m.tmp / "salida/I-2025/acta-I-2025.pdf"), "-"],
                capture_output=True,
                text=True,
            ).stdout
        )
        assert despues(m.stl("convocatoria", "I-2025", "--formato", "docx")).startswith("Folio STL/001/2025")
        assert despues(m.stl("convocatoria", "I-2025", "--formato", "docx")).startswith("Folio STL/001/2025")
        despues(m.stl("acta", "I-2025", "--formato", "docx"))
        firmar = m.stl("firmar", "I-2025", "--firmante", "facilitador", *m._credencial("facilitador"))
        assert "«stl preparar-firma I-2025»" in despues(firmar)
        assert "no tiene aprobación registrada" in despues(
            m.stl("preparar-firma", "I-2025", *m._credencial("facilitador"))
        )
        for _ in range(6):  # the next session, convened, held (it approves I-2025) and drafted
            m._siguiente()
            despues("")
        assert "Texto aprobado del acta de I-2025 registrado" in despues(
            m.stl("acta", "I-2025", "--formato", "docx")
        )
        registro = m.registros / "sesiones/I-2025.yaml"
        aprobado = registro.read_text("utf-8")
        m.editar(0)  # an edit after the approval: the acta warns, and it is not prepared for signature
        assert "ya no es el texto aprobado" in despues(m.stl("acta", "I-2025", "--formato", "docx"))
        rechazo = despues(m.stl("preparar-firma", "I-2025", *m._credencial("facilitador")))
        assert (
            "ya no es el texto aprobado" in rechazo
            and "cambió punto" in rechazo
            and "fe_de_erratas" in rechazo
        )
        registro.write_text(aprobado, "utf-8")  # back to the approved text (a correction is a fe de erratas)
        despues(m.stl("preparar-firma", "I-2025", *m._credencial("facilitador")))
        enviada = despues(m.stl("enviar", "firma", "I-2025", "--simular"))  # nobody signed yet
        assert "Se escribieron" in enviada and "Error" not in enviada, enviada
        for persona in FIRMANTES:
            despues(m.stl("firmar", "I-2025", "--firmante", persona, *m._credencial(persona)))
        assert "ya firm" in despues(
            m.stl("firmar", "I-2025", "--firmante", "facilitador", *m._credencial("facilitador"))
        )
        despues(m.stl("archivar", "I-2025"))
    finally:
        m.teardown()
