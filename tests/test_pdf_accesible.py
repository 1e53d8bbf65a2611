"""Accessible PDFs (issue 28): every document is a tagged PDF/A-3a that a screen reader can follow.

Each kind of document (acta, minuta, oficio de convocatoria, orden del día, fe de erratas), signed with the demo
PKI and as the versión pública the site publishes, is checked by its structure: the catalog marks it tagged
(/MarkInfo /Marked true, /StructTreeRoot, /Lang es-MX), every image drawn on a page (the letterhead's logo) and
every figure of the tree (the QR code) has its alternative text, there are headings and tables with header cells,
and the text of the tree follows the reading order. Two readers look at it: pypdf here, and poppler
(`pdfinfo`, «Tagged: yes», and its own reading of the structure tree, `pdfinfo -struct-text`). The signatures
stay valid (`stl verificar`). veraPDF, the reference validator of PDF/A and PDF/UA, is a Java program that is not
packaged for Debian, PyPI or npm, the only registries this machine reaches: it is not run here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject

from builders import FIRMAN_IV_2020, ROOT, aprobar_iv_2020, stl_ok

FRASE = "solicitó exponer este eje al Comisionado del Infoem"


@pytest.fixture(scope="module")
def documentos(tmp_path_factory) -> dict[str, Path]:
    """Every kind of document, signed (the current version in its workspace) and as archived (the versión pública
    of each signed one, the orden del día as it is): name → PDF."""
    base = tmp_path_factory.mktemp("accesible")
    tree = base / "records"
    shutil.copytree(ROOT / "records", tree)
    aprobar_iv_2020(tree)
    p12 = {i: ["--p12", str(tree / "claves" / f"{i}.p12")] for i in FIRMAN_IV_2020}
    for objetivo in (["IV-2020"], ["RT-2020-11-24"], ["IV-2020", "--documento", "convocatoria"]):
        stl_ok(base, "preparar-firma", *objetivo, *p12["funes"])
    stl_ok(base, "firmar", "IV-2020", "--documento", "convocatoria", "--firmante", "funes", *p12["funes"])
    for quien in FIRMAN_IV_2020:
        for objetivo in ("IV-2020", "RT-2020-11-24"):
            stl_ok(base, "firmar", objetivo, "--firmante", quien, *p12[quien])
    with (tree / "sesiones/IV-2020.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            'fe_de_erratas:\n  - fecha: "2020-12-10"\n    correcciones:\n      - seccion: IV\n'
            f'        dice: "{FRASE}"\n        debe_decir: "pidió exponer este eje al Comisionado del Infoem"\n'
        )
    fe = ["IV-2020", "--documento", "fe-de-erratas-1"]
    stl_ok(base, "preparar-firma", *fe, *p12["funes"])
    stl_ok(base, "firmar", *fe, "--firmante", "funes", *p12["funes"])
    for objetivo in ("IV-2020", "RT-2020-11-24"):
        stl_ok(base, "archivar", objetivo)
    firmas, archivo = base / "firmas", base / "archivo"
    actual = {
        carpeta: sorted((firmas / carpeta).glob("*.v0[1-9].pdf"))[-1]
        for carpeta in ("IV-2020", "RT-2020-11-24", "IV-2020/convocatoria", "IV-2020/fe-de-erratas-1")
    }
    return {
        "acta firmada": actual["IV-2020"],
        "minuta firmada": actual["RT-2020-11-24"],
        "oficio de convocatoria firmado": actual["IV-2020/convocatoria"],
        "fe de erratas firmada": actual["IV-2020/fe-de-erratas-1"],
        "versión pública del acta": archivo / "IV-2020/acta-IV-2020.version-publica.pdf",
        "versión pública de la minuta": archivo / "RT-2020-11-24/minuta-RT-2020-11-24.version-publica.pdf",
        "versión pública del oficio": archivo / "IV-2020/convocatoria-IV-2020.version-publica.pdf",
        "versión pública de la fe de erratas": archivo
        / "IV-2020/fe-de-erratas-1-IV-2020.version-publica.pdf",
        "orden del día": archivo / "IV-2020/orden-IV-2020.pdf",
    }


def _objeto(o):
    return o.get_object() if isinstance(o, IndirectObject) else o


def _arbol(raiz) -> list[DictionaryObject]:
    """The structure elements reachable from the root, in the tree's order (its reading order)."""
    elementos = []

    def recorrer(nodo) -> None:
        nodo = _objeto(nodo)
        if not isinstance(nodo, DictionaryObject) or nodo.get("/Type") in ("/MCR", "/OBJR"):
            return
        if "/S" in nodo:
            elementos.append(nodo)
        hijos = _objeto(nodo.get("/K"))
        for hijo in hijos if isinstance(hijos, ArrayObject) else [hijos]:
            if hijo is not None and not isinstance(hijo, int):
                recorrer(hijo)

    recorrer(raiz)
    return elementos


def _imagenes_sin_texto_alternativo(lector: PdfReader, raiz) -> list[str]:
    """Each image drawn on a page must sit in marked content whose structure element is a Figure with /Alt."""
    arbol = _objeto(_objeto(raiz["/ParentTree"])["/Nums"])
    padres = {int(arbol[i]): _objeto(arbol[i + 1]) for i in range(0, len(arbol), 2)}
    faltan = []
    for numero, pagina in enumerate(lector.pages, 1):
        recursos = _objeto(pagina["/Resources"])
        xobjetos = _objeto(recursos.get("/XObject", DictionaryObject()))
        marcas: list[int | None] = []
        for operandos, operador in ContentStream(pagina.get_contents(), lector).operations:
            if operador == b"BDC":
                propiedades = operandos[1]
                marcas.append(propiedades.get("/MCID") if isinstance(propiedades, DictionaryObject) else None)
            elif operador == b"BMC":
                marcas.append(None)
            elif operador == b"EMC":
                marcas.pop()
            elif operador == b"Do" and _objeto(xobjetos[operandos[0]]).get("/Subtype") == "/Image":
                mcid = next((m for m in reversed(marcas) if m is not None), None)
                elemento = _objeto(padres[int(pagina["/StructParents"])][mcid]) if mcid is not None else None
                if (
                    elemento is None
                    or elemento["/S"] != "/Figure"
                    or not str(elemento.get("/Alt", "")).strip()
                ):
                    faltan.append(f"página {numero}: imagen {operandos[0]}")
    return faltan


@pytest.mark.parametrize(
    "nombre",
    [
        "acta firmada",
        "minuta firmada",
        "oficio de convocatoria firmado",
        "fe de erratas firmada",
        "versión pública del acta",
        "versión pública de la minuta",
        "versión pública del oficio",
        "versión pública de la fe de erratas",
        "orden del día",
    ],
)
def test_every_document_is_a_tagged_pdf_a_3a(documentos, nombre):
    pdf = documentos[nombre]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    lector = PdfReader(pdf)
    catalogo = lector.trailer["/Root"]
    assert _objeto(catalogo["/MarkInfo"])["/Marked"].value is True
    assert str(catalogo["/Lang"]) == "es-MX"
    xmp = _objeto(catalogo["/Metadata"]).get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    raiz = _objeto(catalogo["/StructTreeRoot"])
    elementos = _arbol(raiz)
    tipos = [str(e["/S"]) for e in elementos]
    assert tipos[0] == "/Document"
    assert {"/H1", "/H2"} & set(tipos), tipos  # headings
    assert {"/Table", "/TR", "/TH", "/TD"} <= set(tipos) or nombre == "orden del día", tipos
    figuras = [e for e in elementos if e["/S"] == "/Figure"]
    assert all(str(f.get("/Alt", "")).strip() for f in figuras), [f.get("/Alt") for f in figuras]
    assert _imagenes_sin_texto_alternativo(lector, raiz) == []
    if "firmad" in nombre or "versión pública" in nombre:  # the QR code of the verification, read once
        qr = [str(f["/Alt"]) for f in figuras if "Código QR de verificación" in str(f["/Alt"])]
        assert len(qr) == 1 and re.search(r"#v-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$", qr[0]), qr
    if (
        "oficio" in nombre or "fe de erratas" in nombre
    ):  # the letterhead's logo, an image with its description
        assert any(str(f["/Alt"]).startswith("Logotipo de ejemplo") for f in figuras)
    texto = _texto_en_orden_de_lectura(lector, elementos)
    clave = nombre.split(" firmad")[0].removeprefix("versión pública ")
    posiciones = [texto.find(frase) for frase in ORDEN[clave]]
    assert -1 not in posiciones and posiciones == sorted(posiciones), (posiciones, texto[:400])
    if "versión pública" in nombre:  # what it is, first; the constancia of the signatures, last
        assert (
            0 <= texto.find("VERSIÓN PÚBLICA") < 20 and texto.rfind("Constancia de firmas") > posiciones[-1]
        )
    elif "firmad" in nombre:
        assert 0 <= texto.find("Verificación:") < 20, texto[:100]
    # poppler reads the same tree.
    poppler = subprocess.run(
        ["pdfinfo", "-struct", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    etiquetas = {linea.split()[0].rstrip(":") for linea in poppler.splitlines() if linea.strip()}
    assert poppler.startswith("Document") and {t.lstrip("/") for t in tipos} <= etiquetas


# What each kind of document says, in its reading order (headings as printed: in capitals).
_ACTA = ["En el Estado de México", "Lista de asistencia", "Clausura de la Sesión", "ACTA DE LA CUARTA SESIÓN"]
_MINUTA = ["MINUTA DE LA REUNIÓN DE TRABAJO", "Asistentes", "Temas tratados", "Balance a un año"]
_OFICIO = ["Oficio número", "Con fundamento en", "Anexo del oficio", "ORDEN DEL DÍA"]
_FE = ["Debe decir", FRASE, "forma parte del acta citada"]
ORDEN = {
    "acta": _ACTA,
    "del acta": _ACTA,
    "minuta": _MINUTA,
    "de la minuta": _MINUTA,
    "oficio de convocatoria": _OFICIO,
    "del oficio": _OFICIO,
    "fe de erratas": _FE,
    "de la fe de erratas": _FE,
    "orden del día": [
        "ORDEN DEL DÍA",
        "Cuarta Sesión Ordinaria",
        "Lista de asistencia",
        "Clausura de la Sesión",
    ],
}


def _texto_en_orden_de_lectura(lector: PdfReader, elementos: list[DictionaryObject]) -> str:
    """The text of the document as a screen reader meets it: each marked-content sequence's text (read from the
    pages by pypdf), in the order the structure tree lists them."""
    paginas = {p.indirect_reference.idnum: n for n, p in enumerate(lector.pages)}
    textos: dict[tuple[int, int], str] = {}
    for numero, pagina in enumerate(lector.pages):
        pila: list[int | None] = []

        def antes(operador, operandos, cm, tm, pila=pila) -> None:
            if operador == b"BDC":
                propiedades = operandos[1]
                pila.append(propiedades.get("/MCID") if isinstance(propiedades, DictionaryObject) else None)
            elif operador == b"BMC":
                pila.append(None)
            elif operador == b"EMC" and pila:
                pila.pop()

        def texto(t, cm, tm, fuente, tamano, pila=pila, numero=numero) -> None:
            mcid = next((m for m in reversed(pila) if m is not None), None)
            if mcid is not None:
                textos[(numero, mcid)] = textos.get((numero, mcid), "") + t

        pagina.extract_text(visitor_operand_before=antes, visitor_text=texto)
    partes = []
    for e in elementos:
        hijos = _objeto(e.get("/K"))
        for hijo in hijos if isinstance(hijos, ArrayObject) else [hijos]:
            if isinstance(hijo, int) and "/Pg" in e:
                partes.append(textos.get((paginas[e.raw_get("/Pg").idnum], hijo), ""))
    return " ".join(" ".join(partes).split())


def test_the_signatures_of_tagged_documents_stay_valid(documentos):
    base = documentos["acta firmada"].parents[2]
    for args in (
        ["IV-2020"],
        ["RT-2020-11-24"],
        ["IV-2020", "--documento", "convocatoria"],
        ["IV-2020", "--documento", "fe-de-erratas-1"],
    ):
        assert "NO VÁLIDO" not in stl_ok(base, "verificar", *args)
    assert all(
        linea.split()[-5] == "yes"
        for pdf in documentos.values()
        for linea in subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True
        ).stdout.splitlines()[2:]
    )
