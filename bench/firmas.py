"""Benchmark: nine signatories on a ten-page acta — ms per signature, bytes per signature, verifying nine.

In-process, without TSA (the network would dominate), with a demo PKI made for the run. Targets (issue 4):
≤ 60 ms per signature, ≤ 12 KB added per signature without revocation data, verification of nine ≤ 0.5 s.
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
NOMBRES = [
    "Ana Cárdenas Íñiguez",
    "Beatriz Ochoa Ruvalcaba",
    "Carmen Zúñiga Pérez",
    "Dolores Ávila Tostado",
    "Elena Muñoz Aguirre",
    "Fernanda Lozano Gutiérrez",
    "Gabriela Ibáñez Chávez",
    "Hortensia Núñez Robles",
]
SECTORES = [
    "organo_garante",
    "poder_ejecutivo",
    "poder_judicial",
    "poder_legislativo",
    "gobierno_municipal",
    "academia",
    "sector_empresarial",
    "sociedad_civil",
]
PARRAFO = (
    "expuso con detalle los avances del compromiso, las dificultades encontradas en su implementación y las "
    "acciones de seguimiento que propone para el siguiente periodo, con la participación de la sociedad civil. "
)


def _records(base: Path) -> Path:
    """Eight titulares and a Facilitador (nine signatories) and a session long enough for ten pages."""
    root = base / "records"
    (root / "sesiones").mkdir(parents=True)
    personas = [
        {
            "id": f"p{i}",
            "nombre": n,
            "genero": "f",
            "cargo": f"Titular del sector {s}",
            "sector": s,
            "calidad": "titular",
        }
        for i, (n, s) in enumerate(zip(NOMBRES, SECTORES, strict=True))
    ]
    personas.append(
        {
            "id": "facilitadora",
            "nombre": "Lucía Arredondo Peña",
            "genero": "f",
            "cargo": "Facilitadora del STL",
            "sector": "sociedad_civil",
            "calidad": "facilitador",
        }
    )
    stl = {
        "nombre": "Secretariado Técnico Local de prueba",
        "estado": "Estado de México",
        "perfil": "edomex",
        "organo_garante": {"nombre": "Instituto", "siglas": "IT"},
        "folio": {"prefijo": "STL"},
        "firma": {"raices": ["claves/raiz.pem"]},
        "integrantes": personas,
    }
    (root / "stl.yaml").write_text(yaml.safe_dump(stl, allow_unicode=True), "utf-8")
    ids = [p["id"] for p in personas]
    intervenciones = [{"orador": ids[i % 8], "texto": PARRAFO * 6} for i in range(17)]
    sesion = {
        "tipo": "ordinaria",
        "numero": 1,
        "fecha": "2021-03-10",
        "hora_inicio": "10:00",
        "hora_cierre": "13:00",
        "modalidad": {"tipo": "virtual", "plataforma": "Plataforma virtual"},
        "convocatoria": {"folio": "STL/001/2021", "fecha": "2021-03-01", "convoca": "facilitadora"},
        "asistencia": ids,
        "aprobacion": {"fecha": "2021-04-01", "fundamento": "Prueba"},
        "orden_del_dia": [
            {"tipo": "quorum"},
            {"tipo": "orden_del_dia", "acuerdos": [{"votacion": "unanimidad"}]},
            {"clave": "avance", "texto": "Avance de compromisos", "intervenciones": intervenciones},
            {"tipo": "clausura"},
        ],
    }
    (root / "sesiones/I-2021.yaml").write_text(yaml.safe_dump(sesion, allow_unicode=True), "utf-8")
    return root


def medir() -> list[str]:
    from pipeline import bitacora as ledger
    from pipeline import certificados, pki_demo, records, sign, verify

    ahora = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = _records(tmp)
        registro = records.load(root)
        firmantes = [(p.id, p.nombre) for p in registro.stl.integrantes]
        huellas = pki_demo.generar(root / "claves", firmantes, "demo", ahora)
        lines = ["certificados:"] + [f"  - integrante: {i}\n    sha256: {h}" for i, h in huellas.items()]
        (root / "certificados.yaml").write_text("\n".join(lines) + "\n", "utf-8")
        registro = records.load(root)
        workspace = tmp / "firmas"
        creds = {i: sign.credencial_p12(root / f"claves/{i}.p12", "demo") for i, _ in firmantes}
        bitacora = sign.preparar(registro, "I-2021", workspace, creds["facilitadora"], ahora)
        tiempos, bytes_ = [], []
        size = (workspace / bitacora.actual.archivo).stat().st_size
        # Whoever prepared it, if a signatory, signed it by certifying it (issue 26): the others sign after.
        for id_ in [i for i, _ in firmantes if i not in bitacora.firmados]:
            start = time.perf_counter()
            version = sign.firmar(registro, workspace, id_, creds[id_], ahora)
            tiempos.append(time.perf_counter() - start)
            nuevo = (workspace / version.archivo).stat().st_size
            bytes_.append(nuevo - size)
            size = nuevo
        final = ledger.leer_bitacora(workspace)
        data = (workspace / final.actual.archivo).read_bytes()
        raices = certificados.raices_de_confianza(registro)
        verificaciones = []
        for _ in range(6):  # a warm-up, then five
            start = time.perf_counter()
            informe = verify.verificar(data, raices, "bench", {e.campo: e.nombre for e in final.esperados})
            verificaciones.append(time.perf_counter() - start)
        verificaciones = verificaciones[1:]
        assert informe.ok, informe.todos
        shutil.rmtree(workspace)
    ms = [t * 1000 for t in tiempos[1:]]  # the first pays one-time costs (fonts, imports)
    kb = [b / 1024 for b in bytes_]
    verif = statistics.median(verificaciones)
    return [
        "## Firmas: nueve firmantes sobre un acta de diez hojas (en proceso, sin sello de tiempo)",
        "",
        f"Hojas del acta: {final.fojas}. Cada firma valida además el certificado del firmante contra la raíz.",
        "",
        "| medida | valor | objetivo |",
        "|---|---|---|",
        f"| ms por firma (mediana de 8, sin contar la primera: {tiempos[0] * 1000:.0f} ms) | {statistics.median(ms):.0f} "
        f"| ≤ 60 ({'cumplido' if statistics.median(ms) <= 60 else 'NO cumplido'}) |",
        f"| KB añadidos por firma (mediana; mín {min(kb):.1f}, máx {max(kb):.1f}) | {statistics.median(kb):.1f} "
        f"| ≤ 12 ({'cumplido' if statistics.median(kb) <= 12 else 'NO cumplido'}) |",
        f"| verificación de las nueve firmas y la certificación (s, mediana de 5 tras un calentamiento) | {verif:.2f} "
        f"| ≤ 0.5 ({'cumplido' if verif <= 0.5 else 'NO cumplido'}) |",
        "",
    ]


if __name__ == "__main__":  # `python bench/firmas.py`: this benchmark alone
    print("\n".join(medir()))
