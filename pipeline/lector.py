"""The PDF reader verification uses: pyHanko's, with two costs that grew with the tagged acta made linear.

Takes the bytes of a signed PDF; gives a pyHanko `PdfFileReader` that reads every object and answers the
difference analysis exactly as pyHanko's own does (tests/test_sign.py compares both on a signed acta and on its
tamperings, object by object and path by path), without two costs that are quadratic in the size of the document:

- an object in an object stream: pyHanko scans the stream's header up to the object each time (a PDF/A-3a acta
  keeps its ~900 objects, the structure elements among them, in one stream: ~400,000 header entries read to
  read them all); here each stream's header is read once per reader, and the object is read at its offset;
- the ways to reach an object in a revision (its «paths»), which the difference analysis asks for the few
  objects a later revision changes (the catalog, the XMP metadata, the signature fields): pyHanko enumerates
  every path to every object of the revision, the whole structure tree with it, once per signed revision; here
  only the paths to the objects asked for, walking only through objects from which the walk can reach them. The
  walk is pyHanko's (`HistoricalResolver._load_reverse_xref_cache`, pyHanko 0.38), so the paths are the same.

If a later pyHanko renames what is replaced here, its own code runs (slower, never different); if it changes what
its walk does, the tests that compare both fail.
"""

from __future__ import annotations

import io
from collections import defaultdict

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader, RawPdfPath

__all__ = ["Lector", "abrir"]


def abrir(data: bytes) -> PdfFileReader:
    """A reader of `data` (non-strict, as verification reads every PDF)."""
    return Lector(io.BytesIO(data), strict=False)


class Lector(PdfFileReader):
    """pyHanko's reader; the header of each object stream is read once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._indices: dict[int, tuple[bytes, dict[int, int], int, int] | None] = {}
        self.aristas: dict[generic.Reference, tuple[frozenset, frozenset]] = {}  # see Revision.aristas
        self._ultimos: dict[generic.Reference, int | None] = {}
        self._compartidos: dict[generic.Reference, generic.PdfObject] = {}

    def _get_object_from_stream(self, idnum, stmnum, idx):
        if self.strict:  # pyHanko's stricter checks (each object at its own index), as they are
            return super()._get_object_from_stream(idnum, stmnum, idx)
        indice = self._indices.get(stmnum, False)
        if indice is False:
            indice = self._indices[stmnum] = self._indexar(stmnum)
        if indice is None or not (0 <= idx < indice[3]) or idnum not in indice[1]:
            # What pyHanko says of a damaged stream or a missing object (an error in strict mode, or null).
            return super()._get_object_from_stream(idnum, stmnum, idx)
        datos, posiciones, primero, _ = indice
        flujo = io.BytesIO(datos)
        flujo.seek(primero + posiciones[idnum])
        try:
            objeto = generic.read_object(flujo, generic.Reference(idnum, 0, self))
        except (misc.PdfStreamError, misc.PdfReadError):
            return super()._get_object_from_stream(idnum, stmnum, idx)
        if isinstance(objeto, (generic.StreamObject, generic.IndirectObject)):
            return super()._get_object_from_stream(idnum, stmnum, idx)
        return objeto

    def _indexar(self, stmnum: int):
        """The decompressed stream `stmnum`, where each object starts (the first entry for a repeated number, as
        pyHanko's scan finds it), where the objects begin and how many the stream declares; None if any of that
        cannot be read (pyHanko then reads the object its own way, and says what is wrong as it always did)."""
        try:
            flujo = generic.Reference(stmnum, 0, self).get_object()
            if not isinstance(flujo, generic.StreamObject) or flujo.get("/Type") != "/ObjStm":
                return None
            datos, cantidad, primero = (
                flujo.read_data(DecodePurpose.OBJECT_STREAM),
                flujo["/N"],
                flujo["/First"],
            )
            cabecera, posiciones = io.BytesIO(datos), {}
            for _ in range(cantidad):
                misc.read_non_whitespace(cabecera, seek_back=True)
                numero = generic.NumberObject.read_from_stream(cabecera)
                misc.read_non_whitespace(cabecera, seek_back=True)
                posicion = generic.NumberObject.read_from_stream(cabecera)
                misc.read_non_whitespace(cabecera, seek_back=True)
                posiciones.setdefault(numero, posicion)
        except Exception:
            return None
        return datos, posiciones, primero, cantidad

    def ultimo_cambio(self, ref: generic.Reference) -> int | None:
        """The last revision that writes `ref` (None: none does), looked up once per object."""
        if ref not in self._ultimos:
            try:
                self._ultimos[ref] = self.xrefs.get_last_change(ref)
            except KeyError:
                self._ultimos[ref] = None
        return self._ultimos[ref]

    def compartido(self, ref: generic.Reference):
        """The reader's object `ref`, once it is known that pyHanko's resolver can copy it into a revision: the
        copy fails, and so does this, where the object or a part of it was not read from the file (the null
        that stands for an object an object stream lacks)."""
        if ref not in self._compartidos:
            objeto = self.get_object(ref)
            pendientes = [objeto]
            while pendientes:  # what HistoricalResolver._subsume_object asks of each part
                parte = pendientes.pop()
                parte.get_container_ref()
                if isinstance(parte, generic.DictionaryObject):
                    pendientes.extend(parte.values())
                elif isinstance(parte, generic.ArrayObject):
                    pendientes.extend(parte)
            self._compartidos[ref] = objeto
        return self._compartidos[ref]

    def compartido_ya(self, ref: generic.Reference):
        """The reader's object `ref` if `compartido` gave it already, else None."""
        return self._compartidos.get(ref)

    def get_historical_resolver(self, revision: int) -> HistoricalResolver:
        cache = self._historical_resolver_cache
        if revision not in cache:
            cache[revision] = Revision(self, revision)
        return cache[revision]


class Revision(HistoricalResolver):
    """A revision whose paths to an object are walked when asked for, through the objects that lead to it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._caminos: dict[generic.Reference, set[RawPdfPath]] = {}
        self._mapa = None

    def _load_reverse_xref_cache(self):
        """The map of the revision's objects, where pyHanko would walk every path to every object. With an
        object that cannot be read, pyHanko's own walk (whether it reaches that object decides what it says)."""
        if self._mapa is not None:
            return
        try:
            self._mapa = _Mapa(self)
        except _Ilegible:
            self._mapa = _PYHANKO
            super()._load_reverse_xref_cache()

    def _get_usages_of_ref(self, ref: generic.Reference) -> set[RawPdfPath]:
        if self._mapa is None or self._mapa is _PYHANKO:  # pyHanko's: nothing before its cache is loaded
            return super()._get_usages_of_ref(ref)
        if ref not in self._caminos:
            # What the difference analysis asks for next, walked together: the objects later revisions write,
            # the form fields and their appearances.
            self.caminos({ref, *self._mapa.candidatos})
        return self._caminos[ref]

    def caminos(self, objetivos) -> None:
        """Walk, in one pass, to each of `objetivos` not walked to yet (once the map is loaded)."""
        nuevos = {o for o in objetivos if o not in self._caminos}
        encontrados = _caminos(self, self._mapa, nuevos & self._mapa.alcanzables)
        self._caminos.update({o: {RawPdfPath(*c) for c in encontrados.get(o, ())} for o in nuevos})

    def objeto(self, ref: generic.Reference):
        """`ref` as this revision has it, for reading only: the reader's own object when no later revision
        changed it (pyHanko's resolver copies it, to resolve its references here: they are the same), failing
        where the copy fails (see `Lector.compartido`)."""
        ultimo = self.reader.ultimo_cambio(ref)
        if ultimo is None or ultimo > self.revision or self.reader.encrypted:
            return self(ref)
        return self.reader.compartido(ref)

    def aristas(self, ref: generic.Reference) -> tuple[frozenset, frozenset]:
        """The objects `ref` refers to in this revision (see `_referencias`); those of the reader's own object
        are found once for every revision."""
        objeto = self.objeto(ref)
        if objeto is not self.reader.compartido_ya(ref):
            return _referencias(objeto)
        if ref not in self.reader.aristas:
            self.reader.aristas[ref] = _referencias(objeto)
        return self.reader.aristas[ref]


_CONTENEDORES = (generic.IndirectObject, generic.DictionaryObject, generic.ArrayObject)
_PYHANKO = object()  # the revision's paths are pyHanko's own cache


class _Ilegible(Exception):
    """An object of the revision cannot be read."""


class _Mapa:
    """A revision's page tree (each node's canonical path), its structure elements, its objects reachable the
    way pyHanko's walk goes (never through /Parent; into a structure element only from the structure tree, and
    then never through /P), who refers to each, and the objects the difference analysis will ask about."""

    def __init__(self, revision: Revision):
        self.paginas, self.en_caminos = _arbol_de_paginas(revision)
        self.estructura = _elementos_de_estructura(revision)
        aristas: dict[generic.Reference, frozenset] = {}
        pendientes = list(_referencias(revision.trailer_view)[0])
        while pendientes:
            ref = pendientes.pop()
            if ref not in aristas:
                try:
                    todas, sin_p = revision.aristas(ref)
                except Exception as exc:  # whether pyHanko's walk reaches it decides what it says
                    raise _Ilegible from exc
                aristas[ref] = sin_p if ref in self.estructura else todas
                pendientes.extend(aristas[ref])
        self.alcanzables = frozenset(aristas)
        self.previos: dict[generic.Reference, list[generic.Reference]] = defaultdict(list)
        for ref, siguientes in aristas.items():
            for siguiente in siguientes:
                self.previos[siguiente].append(ref)
        try:
            self.candidatos = _candidatos(revision) & self.alcanzables
        except Exception:  # only a guess of what will be asked: each object is then walked to when asked for
            self.candidatos = set()

    def ancestros(self, objetivos: set[generic.Reference]) -> set[generic.Reference]:
        """The objects from which the walk can reach one of `objetivos` (through at least one reference). The walk
        goes through a page tree node only along its canonical path (a structure element's /Pg, a link's
        destination, stop there), so that is the only way in to one that is not itself an objective."""
        vistos: set[generic.Reference] = set()
        pendientes = list(objetivos)
        while pendientes:
            ref = pendientes.pop()
            previos = self.previos.get(ref, ())
            if ref in self.paginas and ref not in objetivos:
                previos = [p for p in previos if p in self.en_caminos]
            for previo in previos:
                if previo not in vistos:
                    vistos.add(previo)
                    pendientes.append(previo)
        return vistos


def _caminos(revision: Revision, mapa: _Mapa, objetivos: set) -> dict[generic.Reference, set[tuple]]:
    """Every path from the trailer to each of `objetivos`: pyHanko's walk (`_compute_paths_to_refs`), which
    does not go below an object from which none of them can be reached."""
    antes = mapa.ancestros(objetivos)
    paginas, estructura = mapa.paginas, mapa.estructura
    encontrados: dict[generic.Reference, set[tuple]] = defaultdict(set)
    en_camino: set[generic.Reference] = set()

    def recorrer(obj, camino: tuple, en_estructura: bool):  # one frame per level, as pyHanko's
        ref = None
        if isinstance(obj, generic.IndirectObject):
            ref = obj.reference
            if ref in en_camino:
                return
            if ref in objetivos:
                encontrados[ref].add(camino)
            if ref not in antes:
                return
            # A page tree node only through its canonical path; a structure element only from the tree. (pyHanko
            # reads the object before it asks: every object here was read when mapping, so nothing is lost.)
            if paginas.get(ref, camino) != camino or (not en_estructura and ref in estructura):
                return
            obj = revision.objeto(ref)
            en_camino.add(ref)
        # Numbers, names and strings lead nowhere: not walked into.
        if isinstance(obj, generic.DictionaryObject):
            arbol = camino == ("/Root", "/StructTreeRoot")
            for clave, valor in obj.items():
                if (
                    isinstance(valor, _CONTENEDORES)
                    and clave != "/Parent"
                    and not (en_estructura and clave == "/P")
                ):
                    recorrer(valor, (*camino, clave), en_estructura or (arbol and clave == "/K"))
        elif isinstance(obj, generic.ArrayObject):
            for i, valor in enumerate(obj):
                if isinstance(valor, _CONTENEDORES):
                    recorrer(valor, (*camino, i), en_estructura)
        en_camino.discard(ref)

    recorrer(revision.trailer_view, (), False)
    return encontrados


def _referencias(obj) -> tuple[frozenset, frozenset]:
    """The objects `obj` refers to through its direct parts, except under a /Parent key (pyHanko's walk never
    follows one); and those not under a /P key either (it does not follow one inside the structure tree)."""
    todas: set[generic.Reference] = set()
    sin_p: set[generic.Reference] = set()
    pendientes = [(obj, True)]
    while pendientes:
        obj, fuera_de_p = pendientes.pop()
        if isinstance(obj, generic.IndirectObject):
            todas.add(obj.reference)
            if fuera_de_p:
                sin_p.add(obj.reference)
        elif isinstance(obj, generic.DictionaryObject):
            pendientes.extend((v, fuera_de_p and k != "/P") for k, v in obj.items() if k != "/Parent")
        elif isinstance(obj, generic.ArrayObject):
            pendientes.extend((v, fuera_de_p) for v in obj)
    return frozenset(todas), frozenset(sin_p)


def _candidatos(revision: Revision) -> set[generic.Reference]:
    """What the difference analysis asks about a signed revision: the objects later revisions write, the form
    fields and their appearances."""
    xrefs = revision.reader.xrefs
    candidatos = {
        ref
        for r in range(revision.revision + 1, xrefs.total_revisions)
        for ref in xrefs.explicit_refs_in_revision(r)
    }
    pendientes = list(_en(_en(revision.root, "/AcroForm"), "/Fields") or ())
    while pendientes:
        campo = pendientes.pop()
        if isinstance(campo, generic.IndirectObject):
            if campo.reference in candidatos:
                continue
            candidatos.add(campo.reference)
        pendientes.extend(_en(campo, "/Kids") or ())
        apariencias = _en(campo, "/AP")
        for clave in ("/N", "/R", "/D"):
            if isinstance(apariencias, generic.DictionaryObject) and clave in apariencias:
                valor = apariencias.raw_get(clave)
                if isinstance(valor, generic.IndirectObject):
                    candidatos.add(valor.reference)
    return candidatos


def _en(obj, clave: str):
    """`obj[clave]`, dereferenced; None if `obj` is not a dictionary or lacks it."""
    obj = obj.get_object() if obj is not None else None
    return obj[clave] if isinstance(obj, generic.DictionaryObject) and clave in obj else None


def _valor(revision: Revision, diccionario, clave: str):
    """`diccionario[clave]` in `revision`, read through `Revision.objeto` (the dictionary may be the reader's own,
    whose references would resolve in the newest revision)."""
    if not isinstance(diccionario, generic.DictionaryObject):
        return diccionario[clave]  # what pyHanko asks, and how it fails
    valor = diccionario.raw_get(clave)
    return revision.objeto(valor.reference) if isinstance(valor, generic.IndirectObject) else valor


def _arbol_de_paginas(revision: Revision) -> tuple[dict[generic.Reference, tuple], set[generic.Reference]]:
    """Each node of the page tree and its canonical path (pyHanko's `_collect_page_tree_refs`, reading shared
    objects); and the objects on those paths: the catalog, the nodes, the /Kids arrays that are objects."""
    en_caminos = set()

    def nodos(pages, camino: tuple):
        hijos = _valor(revision, pages, "/Kids")
        if isinstance(pages.raw_get("/Kids"), generic.IndirectObject):
            en_caminos.add(pages.raw_get("/Kids").reference)
        for i, hijo in enumerate(hijos):
            camino_hijo = (*camino, "/Kids", i)
            if isinstance(hijo, generic.IndirectObject):
                yield hijo.reference, camino_hijo
                hijo = revision.objeto(hijo.reference)
            if hijo.get("/Type", None) == "/Pages":
                yield from nodos(hijo, camino_hijo)

    camino = ("/Root", "/Pages")
    arbol = {}
    pages_ref = revision.root.raw_get("/Pages")
    if isinstance(pages_ref, generic.IndirectObject):
        arbol[pages_ref.reference] = camino
    for ref, camino_nodo in nodos(_valor(revision, revision.root, "/Pages"), camino):
        if ref in arbol:
            raise misc.PdfReadError("Circular reference in page tree in mapping stage")
        arbol[ref] = camino_nodo
    catalogo = revision.trailer_view.raw_get("/Root")
    if isinstance(catalogo, generic.IndirectObject):
        en_caminos.add(catalogo.reference)
    return arbol, en_caminos | arbol.keys()


def _elementos_de_estructura(revision: Revision) -> set[generic.Reference]:
    """The structure elements of the structure tree (pyHanko's `_collect_struct_tree_refs`)."""

    def elementos(elemento):
        try:
            hijos = _valor(revision, elemento, "/K")
        except KeyError:
            return
        if not isinstance(hijos, generic.ArrayObject):
            hijos = (hijos,)
        for hijo in hijos:
            hijo_ref = None
            if isinstance(hijo, generic.IndirectObject):
                hijo_ref = hijo.reference
                hijo = revision.objeto(hijo_ref)
            if not isinstance(hijo, generic.DictionaryObject):
                continue
            try:
                if _valor(revision, hijo, "/Type") != "/StructElem":
                    continue
            except KeyError:
                pass
            if hijo_ref is not None:
                yield hijo_ref
            yield from elementos(hijo)

    encontrados: set[generic.Reference] = set()
    try:
        raiz = _valor(revision, revision.root, "/StructTreeRoot")
        for ref in elementos(raiz):
            if ref in encontrados:
                raise misc.PdfReadError("Circular reference in structure tree in mapping stage")
            encontrados.add(ref)
    except KeyError:
        pass
    return encontrados
