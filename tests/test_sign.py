"""Stages 4 and 5 against a real PKI on 127.0.0.1 (certomancer: CA, TSA, OCSP, CRL; SoftHSM2 token).

Four members sign IV-2020 in turn, each with their own medium; every refusal leaves the workspace untouched;
tampering is caught by `stl verificar`, and poppler's `pdfsig` agrees with it.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import ROOT
from pipeline import bitacora as ledger
from pipeline import verify
from pipeline.cli import main
from pki import PKI

FIRMANTES = ("martinez", "vargas", "cervantes", "funes")
# Those who sign after the Facilitador prepares: his certification is his own signature (sign._quien_certifica).
DESPUES = ("martinez", "vargas", "cervantes")


def _records(tmp: Path, pki: PKI, extra: dict[str, str] | None = None, aprobada: bool = True) -> Path:
    """A copy of the bundled records that registers the test certificates and trusts the test PKI."""
    root = tmp / "records"
    shutil.copytree(ROOT / "records", root)
    registrados = {
        "martinez": pki.credenciales["martinez"].sha256,
        "vargas": pki.credenciales["vargas"].sha256,  # the key lives in the SoftHSM2 token
        "cervantes": pki.efirma.sha256,  # SAT-style .cer/.key, no OCSP nor CRL
        "funes": pki.credenciales["funes"].sha256,
    }
    lines = ["certificados:"]
    for who, huella in [*registrados.items(), *(extra or {}).items()]:
        lines += [f"  - integrante: {who.split(':')[0]}", f"    sha256: {huella}"]
    (root / "certificados.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    with (root / "stl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            f"firma:\n  tsa: {pki.tsa_url}\n  raices: [{pki.raiz_pem}]\n  intermedias: [{pki.intermedia_pem}]\n"
        )
    if aprobada:
        with (root / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
            handle.write('aprobacion: {fecha: "2020-12-01", fundamento: "Aprobación de prueba"}\n')
    return root


def stl(root: Path, *args: str, env: dict | None = None):
    firmas = root.parent / "firmas"
    return CliRunner().invoke(main, ["--registros", str(root), "--firmas", str(firmas), *args], env=env or {})


def p12(pki: PKI, who: str, cred=None):
    cred = cred or pki.credenciales[who]
    return ["--p12", str(cred.p12)], {"STL_CONTRASENA": cred.password}


def tree_hashes(path: Path) -> dict[str, str]:
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def preparada(tmp_path_factory, pki):
    """Records plus a workspace where the Facilitador has prepared and certified the acta of IV-2020."""
    root = _records(tmp_path_factory.mktemp("preparada"), pki)
    args, env = p12(pki, "funes")
    result = stl(root, "preparar-firma", "IV-2020", *args, env=env)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def copia(preparada, tmp_path):
    """A private copy of the prepared records and workspace, for one test to change."""
    shutil.copytree(preparada, tmp_path / "records")
    shutil.copytree(preparada.parent / "firmas", tmp_path / "firmas")
    return tmp_path / "records"


def test_four_members_sign_each_with_their_own_medium_then_verify(copia, pki, softhsm, tmp_path):
    # 1. PKCS#12: the Facilitador prepared the acta with his, and that certification is his signature (fixture).
    estado = stl(copia, "estado", "IV-2020").output
    assert "Firmas: 1 de 4" in estado and "Rafael Funes Díaz: firmó el" in estado
    # 2. e.firma: DER .cer + PBES2/3DES PKCS#8 .key
    efirma = ["--cer", str(pki.efirma.cer), "--key", str(pki.efirma.key)]
    result = stl(
        copia,
        "firmar",
        "IV-2020",
        "--firmante",
        "cervantes",
        *efirma,
        env={"STL_CONTRASENA": pki.efirma.password},
    )
    assert result.exit_code == 0, result.output
    # 3. PKCS#11 token (SoftHSM2)
    token = [
        "--pkcs11-lib",
        softhsm.lib,
        "--token",
        softhsm.label,
        "--llave",
        softhsm.key_label,
        "--certificado-token",
        softhsm.cert_label,
    ]
    result = stl(copia, "firmar", "IV-2020", "--firmante", "vargas", *token, env={"STL_PIN": softhsm.pin})
    assert result.exit_code == 0, result.output
    # 4. remotely: a copy of the current version, signed elsewhere, then incorporated
    bitacora = json.loads((copia.parent / "firmas/IV-2020/bitacora.json").read_text("utf-8"))
    remota = tmp_path / "en-casa-de-martinez.pdf"
    shutil.copyfile(copia.parent / "firmas/IV-2020" / bitacora["versiones"][-1]["archivo"], remota)
    args, env = p12(pki, "martinez")
    result = CliRunner().invoke(
        main, ["firmar", str(remota), "--firmante", "martinez", *args, "--tsa", pki.tsa_url], env=env
    )
    assert result.exit_code == 0, result.output
    firmada = tmp_path / "en-casa-de-martinez.firmado-martinez.pdf"
    result = stl(copia, "incorporar", "IV-2020", str(firmada))
    assert result.exit_code == 0, result.output

    estado = stl(copia, "estado", "IV-2020")
    assert "Firmas: 4 de 4" in estado.output and "pendiente" not in estado.output
    result = stl(copia, "verificar", "IV-2020", "--json")
    assert result.exit_code == 0, result.output
    informe = json.loads(result.output)
    assert informe["valido"] and [f["campo"] for f in informe["firmas"]] == [
        "certificacion",
        *(f"firma-{w}" for w in ("cervantes", "vargas", "martinez")),
    ]
    assert all(f["sello_de_tiempo"] and f["confiable"] and f["intacta"] for f in informe["firmas"])
    final = copia.parent / "firmas/IV-2020/acta-IV-2020.v03.pdf"
    assert verify.pdfsig(str(final)) == [True] * 4  # poppler agrees: every signature is valid
    assert b"/DSS" in final.read_bytes()  # B-LT: revocation data embedded for certificates that publish it


@pytest.mark.parametrize(
    ("firmante", "credencial", "extra", "mensaje"),
    [
        ("parra", "martinez", None, "Luis Gustavo Parra Noriega no firma el acta de IV-2020: no asistió"),
        (
            "martinez",
            "vargas",
            None,
            "no es el registrado para Zulema Martínez Sánchez en {root}/certificados.yaml",
        ),
        ("martinez", "caducada", "martinez", "caducó el 2021-06-30"),
        ("vargas", "revocada", "vargas", "está revocado"),
        ("martinez", "ajena", "martinez", "no lleva a las raíces de confianza de {root}/stl.yaml"),
    ],
)
def test_refusals_leave_everything_untouched(preparada, pki, tmp_path, firmante, credencial, extra, mensaje):
    cred = (
        getattr(pki, credencial)
        if credencial in ("caducada", "revocada", "ajena")
        else pki.credenciales[credencial]
    )
    root = _records(tmp_path, pki, {extra: cred.sha256} if extra else None)
    shutil.copytree(preparada.parent / "firmas", tmp_path / "firmas")
    before = tree_hashes(tmp_path)
    args, env = p12(pki, firmante, cred)
    result = stl(root, "firmar", "IV-2020", "--firmante", firmante, *args, env=env)
    assert result.exit_code == 1
    salida = " ".join(result.output.split())  # click wraps nothing, but paths can be long
    assert mensaje.format(root=root) in salida and "Traceback" not in salida
    assert tree_hashes(tmp_path) == before


@pytest.mark.parametrize(("zona", "desfase"), [(None, "-06:00"), ("America/Cancun", "-05:00")])
def test_seals_estado_and_verificar_give_local_time_with_its_offset(pki, tmp_path, zona, desfase):
    """A Mexican acta is read in local time: Mexico City's (no daylight saving time since 2022), or the zone of
    stl.yaml; the stamp, `stl estado` and `stl verificar` say the hour there and its offset, never UTC."""
    import datetime as dt
    import re

    root = _records(tmp_path, pki)
    if zona:
        with (root / "stl.yaml").open("a", encoding="utf-8") as handle:
            handle.write(f"zona_horaria: {zona}\n")
    args, env = p12(pki, "funes")
    assert stl(root, "preparar-firma", "IV-2020", *args, env=env).exit_code == 0
    args, env = p12(pki, "martinez")
    assert stl(root, "firmar", "IV-2020", "--firmante", "martinez", *args, env=env).exit_code == 0
    workspace = tmp_path / "firmas/IV-2020"
    bitacora = ledger.leer_bitacora(workspace)
    firmo = dt.datetime.fromisoformat(bitacora.firmados["martinez"].fecha)
    texto = subprocess.run(
        ["pdftotext", str(workspace / bitacora.actual.archivo), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sellos = re.findall(r"Fecha y hora: (\d\d/\d\d/\d{4} \d\d:\d\d:\d\d) \(UTC([+-]\d\d:\d\d)\)", texto)
    assert len(sellos) == 2 and {d for _, d in sellos} == {desfase}, (
        texto
    )  # the certification's and martinez's
    horas = {dt.datetime.strptime(h + d.replace(":", ""), "%d/%m/%Y %H:%M:%S%z") for h, d in sellos}
    assert any(abs(h - firmo) < dt.timedelta(minutes=1) for h in horas)  # the same moment, in local time
    assert "UTC\n" not in texto and " UTC " not in texto
    estado = stl(root, "estado", "IV-2020").output
    local = firmo.astimezone(dt.timezone(dt.timedelta(hours=int(desfase[:3]))))
    assert f"Zulema Martínez Sánchez: firmó el {local:%d/%m/%Y %H:%M:%S} (UTC{desfase})" in estado, estado
    informe = stl(root, "verificar", "IV-2020").output
    assert informe.count(f"(UTC{desfase}), con sello de tiempo") == 2, informe


def test_a_second_signature_by_the_same_member_is_refused(copia, pki):
    args, env = p12(pki, "martinez")
    assert stl(copia, "firmar", "IV-2020", "--firmante", "martinez", *args, env=env).exit_code == 0
    before = tree_hashes(copia.parent / "firmas")
    result = stl(copia, "firmar", "IV-2020", "--firmante", "martinez", *args, env=env)
    assert result.exit_code == 1
    assert "Zulema Martínez Sánchez ya firmó el acta de IV-2020 (acta-IV-2020.v01.pdf)" in result.output
    assert tree_hashes(copia.parent / "firmas") == before


def test_an_acta_without_recorded_approval_is_not_prepared(pki, tmp_path):
    root = _records(tmp_path, pki, aprobada=False)
    args, env = p12(pki, "funes")
    result = stl(root, "preparar-firma", "IV-2020", *args, env=env)
    assert result.exit_code == 1
    assert "el acta de IV-2020 no tiene aprobación registrada" in result.output
    assert not (tmp_path / "firmas/IV-2020/bitacora.json").exists()


def test_incorporar_refuses_a_copy_of_a_stale_version(copia, pki, tmp_path):
    vieja = tmp_path / "vieja.pdf"
    shutil.copyfile(copia.parent / "firmas/IV-2020/acta-IV-2020.v00.pdf", vieja)
    args, env = p12(pki, "martinez")
    assert stl(copia, "firmar", "IV-2020", "--firmante", "martinez", *args, env=env).exit_code == 0
    args, env = p12(pki, "vargas")
    assert (
        CliRunner().invoke(main, ["firmar", str(vieja), "--firmante", "vargas", *args], env=env).exit_code
        == 0
    )
    before = tree_hashes(copia.parent / "firmas")
    result = stl(copia, "incorporar", "IV-2020", str(tmp_path / "vieja.firmado-vargas.pdf"))
    assert result.exit_code == 1
    assert "no parte de la versión actual del acta (acta-IV-2020.v01.pdf)" in result.output
    assert tree_hashes(copia.parent / "firmas") == before


def _with_annotation(data: bytes) -> bytes:
    """An incremental update that adds a text annotation to the first page."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    note = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (200, 600, 220, 620)]
            ),
            generic.NameObject("/Contents"): generic.pdf_string("nota añadida"),
        }
    )
    annots = page.get("/Annots", generic.ArrayObject())
    annots.append(writer.add_object(note))
    page["/Annots"] = annots
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_page(data: bytes) -> bytes:
    """An incremental update that appends a blank page."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (0, 0, 612, 792)]
            ),
            generic.NameObject("/Contents"): writer.add_object(generic.StreamObject(stream_data=b"")),
            generic.NameObject("/Resources"): generic.DictionaryObject(),
        }
    )
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_incorporar_refuses_a_copy_with_other_changes(copia, pki, tmp_path):
    actual = copia.parent / "firmas/IV-2020/acta-IV-2020.v00.pdf"
    alterada = tmp_path / "alterada.pdf"
    alterada.write_bytes(_with_annotation(actual.read_bytes()))
    args, env = p12(pki, "vargas")
    assert (
        CliRunner().invoke(main, ["firmar", str(alterada), "--firmante", "vargas", *args], env=env).exit_code
        == 0
    )
    before = tree_hashes(copia.parent / "firmas")
    result = stl(copia, "incorporar", "IV-2020", str(tmp_path / "alterada.firmado-vargas.pdf"))
    assert result.exit_code == 1
    assert "no se incorpora" in result.output
    assert "después de la firma de certificación el documento tiene" in result.output
    assert "solo se permite llenar campos y firmar" in result.output
    assert tree_hashes(copia.parent / "firmas") == before


@pytest.fixture(scope="module")
def firmada(preparada, pki, tmp_path_factory):
    """The acta of IV-2020 signed by all four (PKCS#12 credentials, to keep the module fast): the Facilitador by
    certifying it, then the other three."""
    base = tmp_path_factory.mktemp("firmada")
    shutil.copytree(preparada, base / "records")
    shutil.copytree(preparada.parent / "firmas", base / "firmas")
    root = _records(
        base / "otra",
        pki,
        {"vargas": pki.credenciales["vargas"].sha256, "cervantes": pki.credenciales["cervantes"].sha256},
    )
    shutil.copyfile(root / "certificados.yaml", base / "records/certificados.yaml")
    for who in DESPUES:
        args, env = p12(pki, who)
        result = stl(base / "records", "firmar", "IV-2020", "--firmante", who, *args, env=env)
        assert result.exit_code == 0, result.output
    return base / "firmas/IV-2020/acta-IV-2020.v03.pdf"


def _verificar(path: Path, pki: PKI):
    return CliRunner().invoke(
        main, ["--registros", str(path.parent), "verificar", str(path), "--raiz", str(pki.raiz_pem)]
    )


def test_the_signed_acta_verifies_and_pdfsig_agrees(firmada, pki):
    """Without the records (a downloaded copy): what was verified is said, and what could not be, never a bare
    VÁLIDO."""
    result = _verificar(firmada, pki)
    assert result.exit_code == 0, result.output
    assert "FIRMAS ÍNTEGRAS Y DE CONFIANZA; QUIÉNES FIRMAN, SIN COMPROBAR" in result.output
    assert "No se comprobó: sin los registros del STL" in result.output and ": VÁLIDO" not in result.output
    assert verify.pdfsig(str(firmada)) == [True] * 4


def test_each_stamp_is_a_compressed_stream_that_draws_with_an_embedded_font(firmada):
    """Every member's stamp, the certifying Facilitador's too: Flate-compressed, with the signatory's name, its
    font subset embedded (PDF/A)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(firmada.read_bytes()))
    sellos = reader.embedded_signatures
    assert len(sellos) == 4
    for firma in sellos:
        sello = firma.sig_field["/AP"]["/N"]
        assert sello["/Filter"] == "/FlateDecode"
        assert b"/ActualText (Firmado electr" in sello.data
        fuentes = sello["/Resources"]["/Font"]
        for nombre in fuentes:
            descriptor = fuentes[nombre]["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert len(descriptor["/FontFile2"].data) > 1000


def test_one_byte_changed(firmada, pki, tmp_path):
    data = bytearray(firmada.read_bytes())
    index = data.index(b"/Type /Page") + 2  # inside content covered by every signature
    data[index] = ord("X")
    path = tmp_path / "un-byte.pdf"
    path.write_bytes(bytes(data))
    result = _verificar(path, pki)
    assert result.exit_code == 1
    assert "no es íntegra" in result.output
    assert False in verify.pdfsig(str(path))


def test_a_page_added_after_signing(firmada, pki, tmp_path):
    path = tmp_path / "con-pagina.pdf"
    path.write_bytes(_with_page(firmada.read_bytes()))
    result = _verificar(path, pki)
    assert result.exit_code == 1
    assert "después de la firma de" in result.output and "cambios de contenido" in result.output


def test_an_annotation_added_after_signing(firmada, pki, tmp_path):
    path = tmp_path / "con-nota.pdf"
    path.write_bytes(_with_annotation(firmada.read_bytes()))
    result = _verificar(path, pki)
    assert result.exit_code == 1
    # pyHanko's difference analysis reports a hand-made annotation as a change of content: either way refused.
    assert "después de la firma de Daniel Rosemberg Cervantes Pérez el documento tiene" in result.output
    assert "solo se permite llenar campos y firmar" in result.output


def test_a_signature_removed(firmada, pki, tmp_path):
    """Cutting the last revision off removes the last signature: verificar names who is missing."""
    anterior = firmada.with_name("acta-IV-2020.v02.pdf")
    path = tmp_path / "sin-una-firma.pdf"
    path.write_bytes(anterior.read_bytes())
    result = _verificar(path, pki)
    assert result.exit_code == 1
    assert "falta la firma de Daniel Rosemberg Cervantes Pérez" in result.output


# --- tampering and trust beyond the byte: content replaced, and signatures pyHanko makes without `stl firmar` -----


def _with_content_replaced(data: bytes) -> bytes:
    """An incremental update that replaces the first page's content stream with other text."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    font = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        }
    )
    page["/Resources"] = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/FX"): font})}
    )
    texto = b"BT /FX 12 Tf 72 700 Td (Acuerdo cambiado despues de firmar) Tj ET"
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=texto))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_content_replaced_in_an_incremental_update(firmada, pki, tmp_path):
    path = tmp_path / "contenido-cambiado.pdf"
    path.write_bytes(_with_content_replaced(firmada.read_bytes()))
    texto = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True).stdout
    assert "Acuerdo cambiado" in texto  # a reader really shows the new text
    result = _verificar(path, pki)
    assert result.exit_code == 1
    for nombre in ("Zulema Martínez Sánchez", "Daniel Rosemberg Cervantes Pérez", "certificación"):
        assert f"después de la firma de {nombre} el documento tiene cambios de contenido" in result.output
    assert "solo se permite llenar campos y firmar" in result.output


def _with_unsigned_object(data: bytes) -> bytes:
    """An unsigned incremental update (pyHanko's writer) that adds an object nothing in the document uses."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 700 Td (se RECHAZA) Tj ET"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_content_appended(data: bytes) -> bytes:
    """A new definition of the first page's content stream appended after the last %%EOF, closed by a `startxref`
    that points back at the last cross-reference section: no reader's revision, but bytes no signature covers."""
    import zlib

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data))
    contenido = reader.root["/Pages"]["/Kids"][0].raw_get("/Contents")
    flujo = zlib.compress(b"BT /F1 12 Tf 72 700 Td (Acuerdo: se RECHAZA por mayoria) Tj ET")
    objeto = b"%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % (contenido.idnum, len(flujo))
    return data + objeto + flujo + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % reader.last_startxref


@pytest.mark.parametrize(
    "alterar", [_with_content_appended, _with_unsigned_object], ids=["sin-revision", "objeto"]
)
def test_anything_after_the_last_signature_is_a_change(firmada, pki, tmp_path, alterar):
    """With the records and with --raiz alone: bytes after the last signature are named, never «ninguna»."""
    path = tmp_path / "con-cola.pdf"
    path.write_bytes(alterar(firmada.read_bytes()))
    records = firmada.parents[2] / "records"
    for result in (_verificar(path, pki), stl(records, "verificar", str(path))):
        assert result.exit_code == 1, result.output
        salida = " ".join(result.output.split())
        assert "después de la firma de Daniel Rosemberg Cervantes Pérez el archivo tiene" in salida
        assert "que ninguna firma cubre" in salida and "FIRMAS ÍNTEGRAS" not in salida
        assert "VÁLIDO (contra" not in salida and "Traceback" not in salida
    assert _verificar(firmada, pki).exit_code == 0  # the B-LT revisions pyHanko writes after a signature pass


def test_incorporar_refuses_a_copy_whose_signature_is_followed_by_unsigned_bytes(copia, pki, tmp_path):
    remota = tmp_path / "remota.pdf"
    shutil.copyfile(copia.parent / "firmas/IV-2020/acta-IV-2020.v00.pdf", remota)
    args, env = p12(pki, "martinez")
    assert (
        CliRunner().invoke(main, ["firmar", str(remota), "--firmante", "martinez", *args], env=env).exit_code
        == 0
    )
    alterada = tmp_path / "remota.extra.pdf"
    alterada.write_bytes(_with_unsigned_object((tmp_path / "remota.firmado-martinez.pdf").read_bytes()))
    before = tree_hashes(copia.parent / "firmas")
    result = stl(copia, "incorporar", "IV-2020", str(alterada))
    salida = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert "no termina con la firma de Zulema Martínez Sánchez: después de ella tiene" in salida
    assert "bytes que nadie firmó" in salida and "Traceback" not in salida
    assert tree_hashes(copia.parent / "firmas") == before


# --- verification reads a tagged acta as pyHanko does, without what made it slow ----------------------------------


def _lector_de_pyhanko(data: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(data), strict=False)


def _con_flujo_de_objetos_danado(data: bytes, danar) -> bytes:
    """An update, appended by hand, that rewrites the object stream where the acta keeps its objects with its
    header (object number, offset, ...) changed by `danar`."""
    import zlib

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.xref import ObjStreamRef

    reader = _lector_de_pyhanko(data)
    xrefs = reader.xrefs
    marcas = (xrefs.get_historical_ref(r, 0) for r in xrefs.explicit_refs_in_revision(0))
    numero = next(m.obj_stream_id for m in marcas if isinstance(m, ObjStreamRef))
    flujo = reader.get_object(generic.Reference(numero, 0))
    primero, datos = int(flujo["/First"]), flujo.data
    cabecera = datos[:primero].split()
    danar(cabecera)
    nuevo = zlib.compress(b" ".join(cabecera).ljust(primero) + datos[primero:])
    objeto = (
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
        % (numero, int(flujo["/N"]), primero, len(nuevo))
        + nuevo
        + b"\nendstream\nendobj\n"
    )
    raiz, tamano = reader.trailer.raw_get("/Root").idnum, int(reader.trailer["/Size"])
    tabla = (
        b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (numero, len(data), tamano, raiz, reader.last_startxref, len(data) + len(objeto))
    )
    return data + objeto + tabla


def _cabecera_rota(data: bytes) -> bytes:
    """The object stream's header stops being numbers halfway."""

    def danar(cabecera: list) -> None:
        cabecera[len(cabecera) // 2 // 2 * 2] = b"x"

    return _con_flujo_de_objetos_danado(data, danar)


def _desplazamiento(data: bytes) -> bytes:
    """An object of the object stream said to start past its end."""

    def danar(cabecera: list) -> None:
        cabecera[15] = b"999999"

    return _con_flujo_de_objetos_danado(data, danar)


_ALTERACIONES = {
    "firmada": lambda data: data,
    "pagina": _with_page,
    "nota": _with_annotation,
    "cabecera-rota": _cabecera_rota,
    "desplazamiento": _desplazamiento,
}


@pytest.mark.parametrize("alteracion", ["firmada", "cabecera-rota", "desplazamiento"])
def test_the_verification_reader_reads_every_object_as_pyhankos_own(firmada, alteracion):
    """The tagged acta keeps its objects, the structure tree among them, in an object stream: pipeline/lector.py
    reads each one as pyHanko's reader does, and where that stream is damaged, fails as pyHanko's does."""
    from pyhanko.pdf_utils.xref import ObjStreamRef

    from pipeline import lector

    data = _ALTERACIONES[alteracion](firmada.read_bytes())
    suyo, nuestro = _lector_de_pyhanko(data), lector.abrir(data)
    xrefs = suyo.xrefs
    refs = {r for n in range(xrefs.total_revisions) for r in xrefs.explicit_refs_in_revision(n)}
    assert sum(isinstance(xrefs.get_historical_ref(r, 0), ObjStreamRef) for r in refs) > 300
    for ref in refs:
        assert _como_se_lee(nuestro.get_object(ref)) == _como_se_lee(suyo.get_object(ref)), ref


def _como_se_lee(objeto) -> tuple:
    """An object read from a PDF, comparable: its type, its text and, for a stream, its bytes (a null has no text
    of its own)."""
    from pyhanko.pdf_utils import generic

    texto = "" if isinstance(objeto, generic.NullObject) else repr(objeto)
    return type(objeto), texto, getattr(objeto, "encoded_data", None)


@pytest.mark.parametrize("alteracion", ["firmada", "pagina", "nota"])
def test_the_verification_reader_finds_the_paths_pyhankos_walk_finds(firmada, alteracion):
    """In every revision, the paths to every object (what pyHanko's difference analysis judges a change by), on the
    signed acta, with a page added and with a page changed after it was signed (an annotation): those
    pipeline/lector.py walks to when asked are those pyHanko's walk of every path finds."""
    from pyhanko.pdf_utils.reader import HistoricalResolver

    from pipeline import lector

    reader = lector.abrir(_ALTERACIONES[alteracion](firmada.read_bytes()))
    xrefs = reader.xrefs
    refs = {r for n in range(xrefs.total_revisions) for r in xrefs.explicit_refs_in_revision(n)}
    for n in range(xrefs.total_revisions):
        revision = reader.get_historical_resolver(n)
        HistoricalResolver._load_reverse_xref_cache(revision)  # pyHanko's own walk, kept apart
        caminos = revision._indirect_object_access_cache
        revision._load_reverse_xref_cache()
        revision.caminos(refs)
        assert caminos and caminos.keys() <= refs
        assert {r: revision._get_usages_of_ref(r) for r in refs} == {r: caminos.get(r, set()) for r in refs}


@pytest.mark.parametrize("alteracion", ["firmada", "cabecera-rota", "desplazamiento"])
def test_verification_reports_as_with_pyhankos_own_reader(firmada, pki, monkeypatch, alteracion):
    """The same report, to the letter, as with pyHanko's reader: of the signed acta, and of one whose object stream
    is damaged (pipeline/lector.py then reads and fails as pyHanko does)."""
    from pipeline import certificados, lector

    data = _ALTERACIONES[alteracion](firmada.read_bytes())
    raices = [certificados.autoridad(pki.raiz_pem, "--raiz")]
    informe = verify.verificar(data, raices, "acta.pdf").como_dict()
    monkeypatch.setattr(lector, "abrir", _lector_de_pyhanko)
    assert verify.verificar(data, raices, "acta.pdf").como_dict() == informe
    assert informe["valido"] is (alteracion == "firmada")


def test_verification_never_runs_pyhankos_reads_that_grow_with_the_square_of_the_acta(
    firmada, pki, monkeypatch
):
    """A tagged acta keeps ~900 objects in one object stream, and pyHanko's difference analysis wants the paths to a
    few objects of each signed revision: pyHanko scans the stream's header up to each object it reads, and walks
    every path to every object of every signed revision (nine signatures on ten pages: 3 s, bench/RESULTS.md).
    Verifying does neither, and its report holds plain values only (`stl verificar --json` copied the whole PDF
    reader along with each field's name)."""
    from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader

    from pipeline import certificados

    llamadas = []
    for clase, nombre in (
        (PdfFileReader, "_get_object_from_stream"),
        (HistoricalResolver, "_load_reverse_xref_cache"),
    ):
        original = getattr(clase, nombre)

        def contar(self, *args, _original=original, _nombre=nombre):
            llamadas.append(_nombre)
            return _original(self, *args)

        monkeypatch.setattr(clase, nombre, contar)
    raices = [certificados.autoridad(pki.raiz_pem, "--raiz")]
    informe = verify.verificar(firmada.read_bytes(), raices, "acta.pdf")
    assert informe.ok, informe.todos
    assert len(informe.firmas) == 4 and not llamadas, sorted(set(llamadas))

    def planos(valor) -> bool:
        if isinstance(valor, dict):
            return all(type(k) is str and planos(v) for k, v in valor.items())
        if isinstance(valor, list | tuple):
            return all(planos(v) for v in valor)
        return type(valor) in (str, bool, int, type(None))

    assert planos(informe.como_dict())


def _firma_directa(data: bytes, campo: str, cred, tsa: str | None = None, nuevo: bool = False) -> bytes:
    """`cred` signs `campo` with pyHanko itself: none of `stl firmar`'s refusals (certificate registered, valid,
    not revoked, trusted; signatory expected) stand in the way."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    signer = signers.SimpleSigner.load_pkcs12(str(cred.p12), passphrase=cred.password.encode())
    meta = signers.PdfSignatureMetadata(
        field_name=campo, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    spec = fields.SigFieldSpec(campo, on_page=0, box=(400, 40, 560, 90)) if nuevo else None
    firmante = signers.PdfSigner(
        meta, signer, timestamper=timestamps.HTTPTimeStamper(tsa) if tsa else None, new_field_spec=spec
    )
    return firmante.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data))).getvalue()


def _como_version(workspace: Path, data: bytes, firmante: str) -> None:
    """Put `data` in the workspace as the next version, as if it had got past `stl firmar` and `stl incorporar`."""
    bitacora = ledger.leer_bitacora(workspace)
    numero = bitacora.actual.numero + 1
    archivo = f"{bitacora.documento}.v{numero:02d}.pdf"
    (workspace / archivo).write_bytes(data)
    version = ledger.Version(
        numero, archivo, hashlib.sha256(data).hexdigest(), "2026-01-01T00:00:00+00:00", firmante, "", "", ""
    )
    (workspace / "bitacora.json").write_bytes(bitacora.con(version).json())


_NOMBRES = {
    "firma-martinez": "Zulema Martínez Sánchez",
    "firma-vargas": "Javier Vargas Zempoaltecatl",
    "firma-cervantes": "Daniel Rosemberg Cervantes Pérez",
}


@pytest.mark.parametrize(
    ("campo", "credencial", "tsa", "mensaje"),
    [
        (
            "firma-martinez",
            "ajena",
            False,
            "el certificado de Zulema Martínez Sánchez (emitido por AC Ajena (no confiable)) no lleva a una raíz "
            "de confianza",
        ),
        (
            "firma-cervantes",
            "caducada",
            False,
            "el certificado de Daniel Rosemberg Cervantes Pérez (núm. {serie}) caducó el 2021-06-30 y la firma no "
            "tiene sello de tiempo que pruebe que se hizo antes",
        ),
        (
            "firma-cervantes",
            "caducada",
            True,
            "el certificado de Daniel Rosemberg Cervantes Pérez (núm. {serie}) caducó el 2021-06-30, antes de la "
            "firma (sello de tiempo del ",
        ),
        (
            "firma-vargas",
            "revocada",
            False,
            "el certificado de Javier Vargas Zempoaltecatl (núm. {serie}) está revocado",
        ),
    ],
    ids=["otra-ac", "caducado", "caducado-con-sello", "revocado"],
)
def test_a_signature_stl_firmar_would_refuse_fails_verification_naming_why(
    copia, pki, campo, credencial, tsa, mensaje
):
    """Signed with pyHanko directly, so `stl firmar`'s refusals are bypassed: `stl verificar` still names it."""
    cred = getattr(pki, credencial)
    workspace = copia.parent / "firmas/IV-2020"
    actual = workspace / "acta-IV-2020.v00.pdf"
    data = _firma_directa(actual.read_bytes(), campo, cred, pki.tsa_url if tsa else None)
    _como_version(workspace, data, campo.removeprefix("firma-"))
    result = stl(copia, "verificar", "IV-2020")
    assert result.exit_code == 1, result.output
    assert mensaje.format(serie=_numero(cred)) in result.output
    # Nor is any of these certificates the one registered for the member whose field it fills.
    assert (
        f"la firma en el campo de {_NOMBRES[campo]} se hizo con un certificado a nombre de" in result.output
    )
    assert "Traceback" not in result.output


def test_only_a_ca_certificate_is_a_trust_root(copia, pki, tmp_path):
    """A signer's expired certificate named as a root in stl.yaml (or with --raiz) would make its own 2021
    signature «válida» today: refused, naming where it is named, before anything is verified."""
    workspace = copia.parent / "firmas/IV-2020"
    data = _firma_directa((workspace / "acta-IV-2020.v00.pdf").read_bytes(), "firma-cervantes", pki.caducada)
    _como_version(workspace, data, "cervantes")
    stl_yaml = copia / "stl.yaml"
    texto = stl_yaml.read_text("utf-8").replace(
        f"raices: [{pki.raiz_pem}]", f"raices:\n    - {pki.raiz_pem}\n    - {pki.caducada.cer}"
    )
    stl_yaml.write_text(texto, "utf-8")
    linea = texto.splitlines().index(f"    - {pki.caducada.cer}") + 1
    result = stl(copia, "verificar", "IV-2020")
    salida = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert (
        f"{stl_yaml}:{linea} [firma.raices[1]]: {pki.caducada.cer} no es el certificado de una autoridad"
        in salida
    )
    assert "es el de RAFAEL FUNES DIAZ" in salida and "válida" not in salida and "Traceback" not in salida
    archivo = tmp_path / "firmada-2021.pdf"
    archivo.write_bytes(data)
    result = CliRunner().invoke(main, ["verificar", str(archivo), "--raiz", str(pki.caducada.cer)])
    assert result.exit_code == 1, result.output
    assert f"--raiz: {pki.caducada.cer} no es el certificado de una autoridad certificadora" in result.output
    # What it was let through: with the CA as root, the same signature fails on its expiry.
    assert "caducó el 2021-06-30" in _verificar(archivo, pki).output


def _numero(cred) -> str:
    """The certificate number as stl shows it: the serial's bytes in hexadecimal, leading zeros kept."""
    from cryptography import x509

    serie = x509.load_der_x509_certificate(cred.cer.read_bytes()).serial_number
    return serie.to_bytes((serie.bit_length() + 7) // 8, "big").hex().upper()


@pytest.fixture(scope="module")
def preparada_v(tmp_path_factory, pki):
    """V-2020 (tests/data/valid: luna did not attend it) approved and prepared; luna's certificate is registered."""
    root = _records(tmp_path_factory.mktemp("preparada-v"), pki, {"luna": pki.ausente.sha256})
    sesion = (ROOT / "tests/data/valid/V-2020.yaml").read_text("utf-8")
    sesion += 'aprobacion: {fecha: "2021-01-15", fundamento: "Aprobación de prueba"}\n'
    (root / "sesiones/V-2020.yaml").write_text(sesion, "utf-8")
    args, env = p12(pki, "funes")
    result = stl(root, "preparar-firma", "V-2020", *args, env=env)
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize(
    ("campo", "nuevo", "mensaje"),
    [
        (
            "firma-luna",
            True,
            "hay una firma no esperada en el campo «firma-luna», de José Guadalupe Luna Hernández: no asistió a "
            "la sesión y no firma su acta",
        ),
        (
            "firma-martinez",
            False,
            "la firma en el campo de Zulema Martínez Sánchez la hizo José Guadalupe Luna Hernández: su certificado "
            "(núm. ",
        ),
    ],
    ids=["campo-propio", "campo-de-otra"],
)
def test_a_signature_by_someone_who_did_not_attend_is_named(
    preparada_v, pki, tmp_path, campo, nuevo, mensaje
):
    shutil.copytree(preparada_v, tmp_path / "records")
    shutil.copytree(preparada_v.parent / "firmas", tmp_path / "firmas")
    workspace = tmp_path / "firmas/V-2020"
    data = _firma_directa((workspace / "acta-V-2020.v00.pdf").read_bytes(), campo, pki.ausente, nuevo=nuevo)
    _como_version(workspace, data, "luna")
    result = stl(tmp_path / "records", "verificar", "V-2020")
    assert result.exit_code == 1, result.output
    assert mensaje in result.output
    assert "Traceback" not in result.output


def test_a_version_replaced_behind_the_ledger_is_named(copia, pki):
    """The current version's file swapped for other bytes: the ledger's SHA-256 says so."""
    workspace = copia.parent / "firmas/IV-2020"
    actual = workspace / "acta-IV-2020.v00.pdf"
    actual.write_bytes(actual.read_bytes() + b"\n% otra cosa\n")
    result = stl(copia, "verificar", "IV-2020")
    assert result.exit_code == 1
    assert (
        "acta-IV-2020.v00.pdf no es la versión que registra la bitácora (su SHA-256 cambió)" in result.output
    )


def test_the_stamp_font_is_a_reduced_copy_that_shapes_like_the_whole_font(tmp_path, monkeypatch):
    """A Spanish stamp uses the reduced copy (a few hundred glyphs, no hinting) with the same advances and
    kerning as the whole font; a character outside its repertoire brings back the whole font."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    from pipeline import sign

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # both copies made from scratch
    params = {
        "nombre": "Zulema Martínez Sánchez",
        "cargo": "Titular — «sociedad civil»",
        "fojas": "las 10 fojas",
        "del_documento": "del acta",
    }
    texto = sign.SELLO % {**params, "ts": "01/02/2025 10:00:00 UTC", "serie": "1A", "emisor": "AC Œuvre № 1"}
    reducida, completa = sign._fuente(texto), sign._fuente(texto + "Ж")
    assert reducida != completa and Path(reducida).parent == Path(completa).parent == tmp_path / "actas-stl"
    fuente = TTFont(reducida)
    assert len(fuente.getGlyphOrder()) < 400 and "fpgm" not in fuente and "GPOS" in fuente

    def forma(path: str) -> list[tuple[int, int]]:
        buffer = hb.Buffer()
        buffer.add_str(texto.replace("\n", " "))
        buffer.guess_segment_properties()
        hb.shape(hb.Font(hb.Face(Path(path).read_bytes())), buffer, {})
        return [(p.x_advance, p.x_offset) for p in buffer.glyph_positions]

    assert forma(reducida) == forma(completa)


def _credencial_ec(curva) -> object:
    """A credential with an elliptic-curve key and a self-signed certificate, made now."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from pipeline import sign

    llave = ec.generate_private_key(curva)
    nombre = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Firmante con curva elíptica")])
    ahora = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder(nombre, nombre, llave.public_key(), x509.random_serial_number())
        .not_valid_before(ahora)
        .not_valid_after(ahora + dt.timedelta(days=1))
        .sign(llave, hashes.SHA256())
    )
    return sign.Credencial(sign._firmante_local(cert, llave, None), "prueba")


@pytest.mark.parametrize("medio", ["p12-con-intermedia", "efirma", "ec-p256", "ec-p521"])
def test_the_room_reserved_for_a_signature_is_never_short_and_wastes_little(preparada, pki, medio):
    """Without a timestamp the reserved room comes from real sizes: never less than the CMS object of a real
    signature (an overflow fails it), at most 320 bytes more (each is two hexadecimal digits in the file)."""
    from asn1crypto import cms
    from cryptography.hazmat.primitives.asymmetric import ec
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader

    from pipeline import sign

    if medio == "p12-con-intermedia":
        cred = sign.credencial_p12(pki.credenciales["funes"].p12, pki.credenciales["funes"].password)
        cred.signer.cert_registry.register_multiple([load_cert_from_pemder(str(pki.intermedia_pem))])
    elif medio == "efirma":
        cred = sign.credencial_efirma(pki.efirma.cer, pki.efirma.key, pki.efirma.password)
    else:
        cred = _credencial_ec(ec.SECP256R1() if medio == "ec-p256" else ec.SECP521R1())
    base = (preparada.parent / "firmas/IV-2020/acta-IV-2020.v00.pdf").read_bytes()
    for _ in range(3):  # an ECDSA signature's length varies from one to the next
        data = sign._firmar_bytes(
            base, "firma-martinez", "Zulema Martínez Sánchez", "Titular", 4, cred, None, None
        )
        contenido = PdfFileReader(io.BytesIO(data)).embedded_signatures[-1].sig_object["/Contents"]
        real = len(cms.ContentInfo.load(bytes(contenido), strict=False).dump())
        assert len(bytes(contenido)) == sign._reserva(cred, False, False) // 2
        assert real <= sign._tamano_cms(cred) <= real + 320, (real, sign._tamano_cms(cred))
